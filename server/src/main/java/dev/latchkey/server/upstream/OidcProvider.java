package dev.latchkey.server.upstream;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import java.time.Instant;

/** An OpenID Provider as its discovery document and its keys describe it, read at {@code fetchedAt}. */
public record OidcProvider(OIDCProviderMetadata metadata, JWKSet keys, Instant fetchedAt) {
}
