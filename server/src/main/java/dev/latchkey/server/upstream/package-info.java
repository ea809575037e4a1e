/**
 * Logins at upstream identity providers (Auth0's enterprise and social connections): the {@code oidc} strategy
 * against any OpenID Provider. {@link dev.latchkey.server.upstream.OidcUpstream} speaks the protocol (discovery,
 * code + PKCE + state + nonce, the token call, the ID token checks); {@link dev.latchkey.server.upstream.UpstreamHttp}
 * makes every call to a provider with a timeout and a cap on what it reads; the user that comes back is made or
 * updated by {@link dev.latchkey.server.upstream.UpstreamUsers}. The pages that send the browser there and take it
 * back ({@code /login/callback}) are in {@code ui}.
 */
package dev.latchkey.server.upstream;
