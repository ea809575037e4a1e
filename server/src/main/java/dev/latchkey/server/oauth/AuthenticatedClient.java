package dev.latchkey.server.oauth;

import dev.latchkey.server.registry.Client;

/**
 * The client a token request comes from. {@code authenticated} is true when it proved a secret;
 * a public client (RFC 6749 §2.1) only names itself.
 */
public record AuthenticatedClient(Client client, boolean authenticated, boolean usedBasic) {
}
