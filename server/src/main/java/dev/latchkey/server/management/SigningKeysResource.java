package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyRing;
import io.javalin.http.Context;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code /api/v2/keys/signing}: list, rotate and revoke the signing keys (Auth0's endpoints). */
final class SigningKeysResource {

    private final SigningKeyRing ring;

    SigningKeysResource(SigningKeyRing ring) {
        this.ring = ring;
    }

    void list(Context ctx, ManagementCaller caller) {
        ArrayNode keys = Json.MAPPER.createArrayNode();
        ring.all().forEach(key -> keys.add(view(key)));
        Json.write(ctx, 200, keys);
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(find(ManagementRouter.pathParam(ctx, "kid"))));
    }

    /** Auth0 answers a rotation with the new current key's {@code cert} and {@code kid}. */
    void rotate(Context ctx, ManagementCaller caller) {
        SigningKey current = ring.rotate();
        Json.write(ctx, 201, Json.object().put("cert", pem(current)).put("kid", current.kid()));
    }

    /** Only a previous key can be revoked (Auth0's rule). */
    void revoke(Context ctx, ManagementCaller caller) {
        SigningKey key = find(ManagementRouter.pathParam(ctx, "kid"));
        if (key.state() != KeyState.PREVIOUS) {
            throw ManagementException.badRequest("Only a previously used key can be revoked; this key is "
                    + key.state().column());
        }
        SigningKey revoked = ring.revoke(key.kid()).orElseThrow(() ->
                ManagementException.badRequest("The key could not be revoked"));
        Json.write(ctx, 200, Json.object().put("cert", pem(revoked)).put("kid", revoked.kid()));
    }

    private SigningKey find(String kid) {
        return ring.all().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow(() ->
                ManagementException.notFound("The signing key does not exist", "inexistent_signing_key"));
    }

    private static ObjectNode view(SigningKey key) {
        byte[] der = key.jwk().getX509CertChain().get(0).decode();
        return Json.object()
                .put("kid", key.kid())
                .put("cert", pem(key))
                .put("fingerprint", digest("SHA-1", der, ":").toUpperCase())
                .put("thumbprint", digest("SHA-1", der, ""))
                .put("current", key.state() == KeyState.CURRENT)
                .put("next", key.state() == KeyState.NEXT)
                .put("previous", key.state() == KeyState.PREVIOUS)
                .put("revoked", key.state() == KeyState.REVOKED)
                .put("current_since", Views.time(key.currentSince()))
                .put("current_until", Views.time(key.currentUntil()))
                .put("revoked_at", Views.time(key.revokedAt()));
    }

    private static String pem(SigningKey key) {
        Base64 der = key.jwk().getX509CertChain().get(0);
        StringBuilder pem = new StringBuilder("-----BEGIN CERTIFICATE-----\r\n");
        String body = der.toString();
        for (int i = 0; i < body.length(); i += 64) {
            pem.append(body, i, Math.min(body.length(), i + 64)).append("\r\n");
        }
        return pem.append("-----END CERTIFICATE-----\r\n").toString();
    }

    private static String digest(String algorithm, byte[] data, String delimiter) {
        try {
            return HexFormat.ofDelimiter(delimiter).formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
