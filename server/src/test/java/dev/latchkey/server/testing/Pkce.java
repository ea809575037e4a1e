package dev.latchkey.server.testing;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2). */
public record Pkce(String verifier, String challenge) {

    public static Pkce create() {
        CodeVerifier verifier = new CodeVerifier();
        return new Pkce(verifier.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
    }
}
