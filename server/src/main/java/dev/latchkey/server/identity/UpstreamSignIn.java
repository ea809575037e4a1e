package dev.latchkey.server.identity;

/**
 * The upstream login an SSO session started with: the connection's name and the provider's ID token from that
 * login (the {@code id_token_hint} of a federated logout, OIDC RP-Initiated Logout 1.0 §2), sealed at rest.
 */
public record UpstreamSignIn(String connection, String idToken) {

    @Override
    public String toString() {
        return "UpstreamSignIn[" + connection + "]";
    }
}
