import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.IntStream;

/**
 * Writes an Auth0 users import file: N users with bcrypt (cost 10) password hashes, HASHES of them
 * distinct and reused in turn. Run with the server jar on the class path (it holds Bouncy Castle):
 * {@code java -cp server/target/latchkey.jar bench/src/import/ImportFile.java N HASHES FILE}.
 */
public class ImportFile {
    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(args[0]);
        int distinct = Math.min(users, Integer.parseInt(args[1]));
        SecureRandom random = new SecureRandom();
        String[] hashes = IntStream.range(0, distinct).parallel().mapToObj(i -> {
            byte[] salt = new byte[16];
            synchronized (random) {
                random.nextBytes(salt);
            }
            return OpenBSDBCrypt.generate("2b", ("Import-pa55word-" + i).toCharArray(), salt, 10);
        }).toArray(String[]::new);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
            out.write("[\n");
            for (int i = 0; i < users; i++) {
                out.write("{\"email\":\"import-" + i + "@bench.latchkey.dev\",\"email_verified\":true,\"name\":\"Import "
                        + i + "\",\"password_hash\":\"" + hashes[i % distinct] + "\",\"app_metadata\":{\"plan\":\"p"
                        + (i % 100) + "\"},\"user_metadata\":{\"customer\":\"c" + i + "\"}}");
                out.write(i + 1 < users ? ",\n" : "\n");
            }
            out.write("]\n");
        }
    }
}
