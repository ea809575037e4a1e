package dev.latchkey.server.management;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.latchkey.server.registry.AppType;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the Management API's body reader ({@link JsonBody}) and the readers built on it
 * ({@link IdList}, {@link RefreshTokenJson}): whatever the bytes and whichever fields a resource asks for,
 * a read yields a value or a 400 {@code invalid_body} "Payload validation error"; anything else would be a 500.
 */
class ManagementBodyFuzzTest {

    private static final List<String> FIELDS = List.of("name", "app_type", "callbacks", "grant_types",
            "client_metadata", "user_metadata", "refresh_token", "jwt_configuration", "scopes", "users", "roles",
            "permissions", "token_lifetime", "leeway", "blocked", "", "a.b", "é");

    @FuzzTest
    void bodiesAreReadOrRefusedWithAPayloadError(FuzzedDataProvider data) {
        int reads = data.consumeInt(0, 8);
        int[] operations = new int[reads];
        String[] fields = new String[reads];
        for (int i = 0; i < reads; i++) {
            operations[i] = data.consumeInt(0, 13);
            fields[i] = data.pickValue(FIELDS);
        }
        AppType appType = data.pickValue(AppType.values());
        byte[] body = data.consumeRemainingAsBytes();
        try {
            JsonBody json = JsonBody.parse(body);
            for (int i = 0; i < reads; i++) {
                json = read(json, operations[i], fields[i], appType);
            }
        } catch (ManagementException refused) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_body");
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** One read a resource makes; a nested object, when read, is what the next reads look at. */
    private static JsonBody read(JsonBody json, int operation, String field, AppType appType) {
        switch (operation) {
            case 0 -> json.allowOnly(new HashSet<>(List.of(field, "name", "callbacks")));
            case 1 -> assertThat(json.requiredString(field, 200)).isNotEmpty().hasSizeLessThanOrEqualTo(200);
            case 2 -> json.string(field, 40).ifPresent(text -> assertThat(text).isNotEmpty().hasSizeLessThanOrEqualTo(40));
            case 3 -> json.bool(field);
            case 4 -> json.integer(field, 1, 2_592_000).ifPresent(n -> assertThat(n).isBetween(1, 2_592_000));
            case 5 -> json.strings(field, 100).ifPresent(items -> assertThat(items).allMatch(s -> s.length() <= 100));
            case 6 -> json.stringMap(field);
            case 7 -> json.freeObject(field);
            case 8 -> json.asMap();
            case 9 -> {
                return json.object(field).orElse(json);
            }
            case 10 -> {
                List<JsonBody> items = json.objects(field).orElse(List.of());
                return items.isEmpty() ? json : items.get(0);
            }
            case 11 -> assertThat(IdList.read(json, field)).isNotEmpty().hasSizeLessThanOrEqualTo(IdList.MAX_ITEMS);
            case 12 -> RefreshTokenJson.read(json, appType, null);
            default -> json.has(field);
        }
        return json;
    }
}
