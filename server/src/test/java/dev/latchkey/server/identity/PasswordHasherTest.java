package dev.latchkey.server.identity;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {

    private static final PasswordHasher CHEAP = new PasswordHasher(new Argon2Cost(256, 1, 1));

    @Test
    void hashesWithOwaspArgon2idParametersInPhcFormat() {
        // OWASP Password Storage Cheat Sheet: Argon2id, m=19456 KiB, t=2, p=1.
        PasswordHasher production = new PasswordHasher(Argon2Cost.OWASP);
        String hash = production.hash("Correct-Horse-9");

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(production.verify("Correct-Horse-9", hash)).isTrue();
        assertThat(production.verify("correct-Horse-9", hash)).isFalse();
        assertThat(production.needsRehash(hash)).isFalse();
    }

    @Test
    void verifiesAKnownArgon2idVector() {
        // A vector of the Argon2 reference implementation's test suite (PHC string, version 1.3):
        // password "password", salt "somesalt", m=65536, t=2, p=1.
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(CHEAP.verify("password", phc)).isTrue();
        assertThat(CHEAP.verify("passwore", phc)).isFalse();
    }

    @Test
    void givesTheSameAnswersWithRecycledMemory() {
        // The second and third runs fill blocks that an earlier run used and handed back wiped: the
        // reference vector must still come out, and a wrong password must still fail.
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        PasswordHasher oneSlot = new PasswordHasher(new Argon2Cost(65_536, 2, 1), 1);
        assertThat(oneSlot.verify("password", phc)).isTrue();
        assertThat(oneSlot.verify("passwore", phc)).isFalse();
        assertThat(oneSlot.verify("password", phc)).isTrue();
        String own = oneSlot.hash("Some-Password1");
        assertThat(oneSlot.verify("Some-Password1", own)).isTrue();
    }

    @Test
    void keepsOnlyWhatTheConfiguredCostNeeds() {
        Argon2Memory memory = new Argon2Memory(4);
        var blocks = new java.util.ArrayList<org.bouncycastle.crypto.generators.Argon2BytesGenerator.Block>();
        for (int i = 0; i < 6; i++) {
            blocks.add(memory.allocate());
        }
        blocks.forEach(memory::deallocate);
        assertThat(memory.keptBlocks()).isEqualTo(4);
        assertThat(memory.allocate()).isSameAs(blocks.get(3));
    }

    @Test
    void refusesAStoredHashThatWouldTakeAQuarterOfTheHeapOrEndlessPasses() {
        // Such a hash was not written by this server (only bcrypt is imported); computing it could
        // exhaust the heap or hold a hashing slot for minutes.
        long quarterKib = Runtime.getRuntime().maxMemory() / 4 / 1024;
        assertThat(PasswordHasher.tooCostly(new Argon2Cost((int) quarterKib + 1, 1, 1))).isTrue();
        assertThat(PasswordHasher.tooCostly(new Argon2Cost(256, PasswordHasher.MAX_ITERATIONS + 1, 1))).isTrue();
        assertThat(PasswordHasher.tooCostly(Argon2Cost.OWASP)).isFalse();

        // A genuine hash of the right password, refused for its cost alone.
        String endless = new PasswordHasher(new Argon2Cost(8, PasswordHasher.MAX_ITERATIONS + 1, 1)).hash("password");
        assertThat(CHEAP.verify("password", endless)).isFalse();
    }

    @Test
    void keepsNoMoreHashingSlotsThanAThirdOfTheHeapCanHold() {
        long heap = Runtime.getRuntime().maxMemory();
        int perSlotKib = (int) Math.min(Integer.MAX_VALUE, heap / 1024 / 2);
        // Half the heap per slot: one slot at most, whatever the cores.
        PasswordHasher big = new PasswordHasher(new Argon2Cost(perSlotKib, 1, 1));
        assertThat(big.slots()).isEqualTo(1);
        assertThat(new PasswordHasher(new Argon2Cost(256, 1, 1)).slots())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void verifiesImportedBcryptHashesAndAsksForARehash() {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (String version : new String[]{"2a", "2b", "2y"}) {
            String bcrypt = OpenBSDBCrypt.generate(version, "Imported-Pass1".toCharArray(), salt, 4);
            assertThat(PasswordHasher.isBcrypt(bcrypt)).as(version).isTrue();
            assertThat(CHEAP.verify("Imported-Pass1", bcrypt)).as(version).isTrue();
            assertThat(CHEAP.verify("Imported-Pass2", bcrypt)).as(version).isFalse();
            assertThat(CHEAP.needsRehash(bcrypt)).isTrue();
        }
    }

    @Test
    void asksForARehashWhenTheStoredCostIsLower() {
        String cheap = CHEAP.hash("Some-Password1");
        assertThat(new PasswordHasher(new Argon2Cost(512, 1, 1)).needsRehash(cheap)).isTrue();
        assertThat(CHEAP.needsRehash(cheap)).isFalse();
    }

    @Test
    void treatsOnePasswordTypedTwoWaysAsOne() {
        // NIST SP 800-63B §5.1.1.2: Unicode normalisation before hashing. "Å" composed and decomposed.
        String hash = CHEAP.hash("P\u00c5ssword-1");
        assertThat(CHEAP.verify("PA\u030assword-1", hash)).isTrue();
    }

    @Test
    void refusesGarbageAndNulls() {
        assertThat(CHEAP.verify("x", "not a hash")).isFalse();
        assertThat(CHEAP.verify("x", "$argon2id$v=19$m=256,t=1,p=1$!!!$???")).isFalse();
        assertThat(CHEAP.verify(null, CHEAP.hash("x"))).isFalse();
        assertThat(CHEAP.verify("x", null)).isFalse();
        assertThat(CHEAP.verifyNothing("anything")).isFalse();
    }

    @Test
    void waitsForAHashingSlotOnlySoLong() {
        // Every slot taken: a request thread gives up after the wait instead of blocking forever.
        String hash = CHEAP.hash("Some-Password1");
        PasswordHasher busy = new PasswordHasher(new Argon2Cost(256, 1, 1), 0, Duration.ofMillis(50));
        assertThatThrownBy(() -> busy.verify("Some-Password1", hash)).isInstanceOf(PasswordHasher.Busy.class);
        assertThatThrownBy(() -> busy.hash("Some-Password1")).isInstanceOf(PasswordHasher.Busy.class);
        assertThat(PasswordHasher.WAIT).isEqualTo(Duration.ofSeconds(2));
        assertThat(busy.refusals()).isEqualTo(2);
        assertThat(busy.computations()).isZero();
    }

    @Test
    void countsItsComputationsAndTheirCpuTime() {
        PasswordHasher counted = new PasswordHasher(new Argon2Cost(1024, 2, 1), 1);
        String hash = counted.hash("Some-Password1");
        counted.verify("Some-Password1", hash);
        counted.verifyNothing("Other-Password1");
        counted.verify("Some-Password1", "$2a$04$notAbcryptHashAtAll"); // neither Argon2id nor bcrypt: no work
        assertThat(counted.computations()).isEqualTo(3);
        assertThat(counted.cpuNanos()).isPositive();
        assertThat(counted.refusals()).isZero();
    }
}
