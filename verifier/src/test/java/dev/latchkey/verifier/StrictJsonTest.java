package dev.latchkey.verifier;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonTest {

    @Test
    void readsValuesAsNimbusDoes() throws IOException {
        Map<String, Object> parsed = StrictJson.parseObject(
                "{\"s\":\"x\",\"i\":1795323704,\"d\":1.5,\"big\":9223372036854775808,\"b\":true,\"n\":null,"
                        + "\"a\":[\"p\",2],\"o\":{\"k\":\"v\"}}");

        assertThat(parsed).containsEntry("s", "x").containsEntry("i", 1795323704L).containsEntry("d", 1.5)
                .containsEntry("big", 9.223372036854775808E18).containsEntry("b", true).containsEntry("n", null)
                .containsEntry("a", List.of("p", 2L)).containsEntry("o", Map.of("k", "v"));
    }

    /** RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 3, at any depth. */
    @Test
    void refusesDuplicateMembersAtAnyDepth() {
        for (String json : List.of("{\"a\":1,\"a\":1}", "{\"o\":{\"k\":1,\"k\":2}}", "{\"l\":[{\"k\":1,\"k\":2}]}",
                "{\"n\":null,\"n\":null}")) {
            assertThatThrownBy(() -> StrictJson.parseObject(json)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void refusesAnythingButOneStrictObject() {
        for (String json : List.of("", "[]", "\"s\"", "{} {}", "{}x", "{'a':1}", "{a:1}", "{\"a\":NaN}",
                "{\"a\":1,}", "{\"a\":01}", "{\"a\":1}//", "[".repeat(300) + "]".repeat(300),
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}")) {
            assertThatThrownBy(() -> StrictJson.parseObject(json)).as(json).isInstanceOf(IOException.class);
        }
    }
}
