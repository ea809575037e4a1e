package dev.latchkey.server.management;

import dev.latchkey.server.keys.MasterKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Short-lived signed links to an export's file, as Auth0's job {@code location} is a pre-signed URL the
 * SDKs download without a token: {@code .../jobs/{id}/download?expires=<epoch s>&signature=<HMAC-SHA256>}
 * over the job id and expiry, with a key derived from the master key, compared in constant time.
 */
final class JobDownloadLinks {

    static final Duration VALID = Duration.ofMinutes(10);
    private static final String PURPOSE = "latchkey export download links";

    private final byte[] key;
    private final String base;
    private final Clock clock;

    JobDownloadLinks(MasterKey masterKey, String issuer, Clock clock) {
        this.key = masterKey.derive(PURPOSE);
        this.base = issuer + "api/v2/jobs/";
        this.clock = clock;
    }

    String link(String jobId) {
        long expires = clock.instant().plus(VALID).getEpochSecond();
        return base + jobId + "/download?expires=" + expires + "&signature=" + signature(jobId, expires);
    }

    boolean valid(String jobId, String expires, String signature) {
        if (expires == null || signature == null || !expires.matches("\\d{1,12}")) {
            return false;
        }
        long at = Long.parseLong(expires);
        if (at < clock.instant().getEpochSecond()) {
            return false;
        }
        return MessageDigest.isEqual(signature(jobId, at).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String jobId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal((jobId + "." + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
