package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.PrivateFiles;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientSecret;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import dev.latchkey.server.store.DuplicateKeyException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ensures, at every start and idempotently, that the Management API exists as an API with the
 * current issuer's audience, and that the bootstrap client exists with a client grant for every
 * Management API scope. Credentials come from the environment, else from
 * {@code <dataDir>/bootstrap.json}, else are generated into that file (mode 0600).
 */
public final class ManagementBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementBootstrap.class);
    /**
     * Auth0's name for its own API (with {@code is_system: true}): auth0-deploy-cli leaves the resource
     * server of that name out of exports and imports.
     */
    static final String NAME = "Auth0 Management API";

    /** The bootstrap client's credentials; {@code file} is where they were written, or null. */
    public record Credentials(String clientId, String clientSecret, Path file, boolean generated) {
    }

    private final ResourceServerStore apis;
    private final ClientStore clients;
    private final ClientGrantStore grants;
    private final MasterKey masterKey;
    private final Clock clock;

    public ManagementBootstrap(ResourceServerStore apis, ClientStore clients, ClientGrantStore grants,
                               MasterKey masterKey, Clock clock) {
        this.apis = apis;
        this.clients = clients;
        this.grants = grants;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    public Credentials ensure(String audience, String configuredId, String configuredSecret, Path dataDir) {
        ensureManagementApi(audience);
        Credentials credentials = credentials(configuredId, configuredSecret, dataDir);
        ensureClient(credentials);
        ensureGrant(credentials.clientId(), audience);
        return credentials;
    }

    private void ensureManagementApi(String audience) {
        Instant now = clock.instant();
        List<ApiScope> scopes = ManagementScopes.ALL.stream().map(s -> new ApiScope(s, s)).toList();
        Optional<ResourceServer> existing = apis.findSystem();
        if (existing.isEmpty()) {
            try {
                apis.create(new ResourceServer(RandomStrings.hex(24), audience, NAME, true,
                        scopes, SigningAlgorithm.RS256, null, ResourceServer.DEFAULT_TOKEN_LIFETIME,
                        ResourceServer.DEFAULT_TOKEN_LIFETIME, false, false, false, TokenDialect.ACCESS_TOKEN,
                        now, now));
            } catch (DuplicateKeyException e) {
                // Another node created it at the same moment.
            }
            return;
        }
        ResourceServer api = existing.get();
        if (!api.identifier().equals(audience) || !api.scopes().equals(scopes) || !api.name().equals(NAME)) {
            // The issuer changed (another port or domain), or this version knows more scopes or another name.
            String previous = api.identifier();
            apis.update(new ResourceServer(api.id(), audience, NAME, true, scopes, api.signingAlg(), null,
                    api.tokenLifetime(), api.tokenLifetimeForWeb(), false, false, false, api.tokenDialect(),
                    api.createdAt(), now));
            if (!previous.equals(audience)) {
                LOG.warn("The issuer changed: the Management API audience moves from {} to {}, with its client "
                        + "grants. Every node of a cluster must share one LATCHKEY_ISSUER.", previous, audience);
                grants.moveAudience(previous, audience);
            }
        }
    }

    private Credentials credentials(String configuredId, String configuredSecret, Path dataDir) {
        boolean hasId = configuredId != null && !configuredId.isBlank();
        boolean hasSecret = configuredSecret != null && !configuredSecret.isBlank();
        if (hasId != hasSecret) {
            throw new IllegalArgumentException(
                    "Set both LATCHKEY_BOOTSTRAP_CLIENT_ID and LATCHKEY_BOOTSTRAP_CLIENT_SECRET, or neither");
        }
        if (hasId) {
            if (configuredSecret.length() < 32) {
                throw new IllegalArgumentException("LATCHKEY_BOOTSTRAP_CLIENT_SECRET must be at least 32 characters");
            }
            return new Credentials(configuredId, configuredSecret, null, false);
        }
        Path file = dataDir.resolve("bootstrap.json");
        try {
            if (Files.exists(file)) {
                JsonNode node = Json.MAPPER.readTree(file.toFile());
                return new Credentials(node.path("client_id").asText(), node.path("client_secret").asText(),
                        file, false);
            }
            PrivateFiles.directory(dataDir);
            String id = RandomStrings.clientId();
            String secret = RandomStrings.clientSecret();
            BootstrapFile.write(file, id, secret);
            return new Credentials(id, secret, file, true);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read or write the bootstrap credentials in " + file
                    + ": " + e.getMessage(), e);
        }
    }

    private void ensureClient(Credentials credentials) {
        Instant now = clock.instant();
        ClientSecret secret = new ClientSecret(SecretHash.of(credentials.clientSecret()),
                masterKey.seal(credentials.clientSecret(), ClientsResource.SECRET_PURPOSE));
        Optional<Client> existing = clients.findById(credentials.clientId());
        Client wanted = new Client(credentials.clientId(), "Latchkey bootstrap (Management API)",
                "Machine-to-machine client granted every Management API scope; used by the latchkey CLI.",
                AppType.NON_INTERACTIVE, true, true, TokenEndpointAuthMethod.CLIENT_SECRET_POST, secret,
                List.of("client_credentials"), List.of(), List.of(), List.of(), List.of(), JwtConfiguration.DEFAULT,
                Map.of(), existing.map(Client::createdAt).orElse(now), now, null, false);
        if (existing.isEmpty()) {
            try {
                clients.create(wanted);
            } catch (DuplicateKeyException e) {
                clients.update(wanted);
            }
        } else if (existing.get().secret() == null || !existing.get().secret().matches(credentials.clientSecret())
                || !existing.get().system() || !existing.get().allowsGrant("client_credentials")) {
            clients.update(wanted);
        }
    }

    private void ensureGrant(String clientId, String audience) {
        Optional<ClientGrant> existing = grants.find(clientId, audience);
        if (existing.isEmpty()) {
            try {
                grants.create(new ClientGrant("cgr_" + RandomStrings.alphanumeric(16), clientId, audience,
                        ManagementScopes.ALL, clock.instant()));
            } catch (DuplicateKeyException e) {
                // Another node created it at the same moment.
            }
        } else if (!existing.get().scope().equals(ManagementScopes.ALL)) {
            grants.update(new ClientGrant(existing.get().id(), clientId, audience, ManagementScopes.ALL,
                    existing.get().createdAt()));
        }
    }
}
