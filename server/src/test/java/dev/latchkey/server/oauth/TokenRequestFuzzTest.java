package dev.latchkey.server.oauth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.latchkey.server.http.ControlCharacters;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientSecret;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.http.CallerLimit;
import dev.latchkey.server.ratelimit.BucketClock;
import dev.latchkey.server.ratelimit.ClientFailureThrottle;
import dev.latchkey.server.ratelimit.LocalBuckets;
import dev.latchkey.server.ratelimit.RateLimit;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.registry.TenantSettingsStore;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for token request parsing: the body ({@link TokenRequestBody#parse}, form or JSON), the
 * typed request ({@link TokenRequest}) and client authentication from the body or HTTP Basic
 * ({@link ClientAuthenticator}). Whatever the bytes, each step yields its value or an {@link OAuthException}
 * with an RFC 6749 §5.2 code and status; anything else would be a 500.
 */
class TokenRequestFuzzTest {

    private static final String SECRET = "s3cret:with%and+";
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/json", "application/json; charset=utf-8", "APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8",
            "text/plain", "");
    private static final Map<String, Client> CLIENTS = Map.of(
            "post_app", client("post_app", TokenEndpointAuthMethod.CLIENT_SECRET_POST),
            "basic_app", client("basic_app", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC),
            "public_app", client("public_app", TokenEndpointAuthMethod.NONE));
    /** Limits no fuzzing run reaches: the invariant is about parsing and authentication, not throttling. */
    private static final RateLimit UNREACHED = new RateLimit(1_000_000_000L, 1_000_000_000L, Duration.ofSeconds(1));
    private static final BucketClock CLOCK = new BucketClock(Clock.systemUTC());
    private static final ClientAuthenticator AUTHENTICATOR = new ClientAuthenticator(new RegistryLookups(
            clientStore(), unused(ResourceServerStore.class), unused(ClientGrantStore.class),
            unused(TenantSettingsStore.class)),
            new ClientFailureThrottle(new LocalBuckets(UNREACHED, CLOCK), UNREACHED, CLOCK),
            new CallerLimit(new LocalBuckets(UNREACHED, CLOCK), "unreached"));

    @FuzzTest
    void bodiesParseToARequestOrAnOAuthError(FuzzedDataProvider data) {
        String contentType = data.consumeBoolean() ? data.pickValue(CONTENT_TYPES) : data.consumeString(60);
        String authorization = switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> data.consumeString(120);
            case 2 -> "Basic " + data.consumeString(120);
            default -> "Basic " + Base64.getEncoder().encodeToString(
                    data.consumeString(120).getBytes(StandardCharsets.UTF_8));
        };
        byte[] body = data.consumeRemainingAsBytes();
        try {
            Map<String, String> params = TokenRequestBody.parse(contentType, body);
            params.forEach((name, value) -> {
                assertThat(ControlCharacters.in(name, false)).isFalse();
                assertThat(ControlCharacters.in(value, false)).isFalse();
            });
            TokenRequest request = TokenRequest.of(params, Map.of(), "192.0.2.1");
            assertThat(request.grantType()).isNotEmpty();
            request.scope().ifPresent(scopes -> assertThat(scopes).doesNotHaveDuplicates().doesNotContain(""));
            assertThat(TokenRequest.echo(request.grantType()).length()).isLessThanOrEqualTo(TokenRequest.MAX_ECHO + 3);
            AuthenticatedClient client = AUTHENTICATOR.authenticate(request.params(), authorization);
            assertThat(CLIENTS).containsValue(client.client());
            if (client.authenticated()) {
                assertThat(client.client().confidential()).isTrue();
            }
        } catch (OAuthException refused) {
            assertThat(refused.description()).isNotBlank();
            assertThat(List.of(refused.code() + " " + refused.status())).containsAnyOf(
                    "invalid_request 400", "invalid_scope 400", "invalid_client 401");
        }
    }

    private static Client client(String id, TokenEndpointAuthMethod method) {
        Instant now = Instant.EPOCH;
        ClientSecret secret = method == TokenEndpointAuthMethod.NONE ? null : new ClientSecret(SecretHash.of(SECRET),
                "sealed");
        return new Client(id, id, null, method == TokenEndpointAuthMethod.NONE ? AppType.SPA : AppType.REGULAR_WEB,
                true, false, method, secret, List.of("client_credentials"), List.of(), List.of(), List.of(),
                List.of(), JwtConfiguration.DEFAULT, Map.of(), now, now, null, false);
    }

    private static ClientStore clientStore() {
        return (ClientStore) Proxy.newProxyInstance(ClientStore.class.getClassLoader(),
                new Class<?>[]{ClientStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findById")) {
                        return Optional.ofNullable(CLIENTS.get((String) args[0]));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
