/**
 * Logins at upstream identity providers (Auth0's enterprise and social connections): the {@code oidc} strategy
 * against any OpenID Provider, {@code oauth2} against any OAuth 2.0 provider, and the social presets
 * ({@code github}, {@code google-oauth2}, ...). {@link dev.latchkey.server.upstream.UpstreamStrategies} picks the
 * protocol per connection, completing a preset from {@link dev.latchkey.server.upstream.SocialPresets};
 * {@link dev.latchkey.server.upstream.OidcUpstream} speaks OpenID Connect (discovery, code + PKCE + state + nonce,
 * the token call, the ID token checks), {@link dev.latchkey.server.upstream.OAuth2Upstream} plain OAuth 2.0 with a
 * profile endpoint mapped by {@link dev.latchkey.server.upstream.ProfileFields}; {@link dev.latchkey.server.upstream.UpstreamHttp}
 * makes every call to a provider with a timeout and a cap on what it reads; the user that comes back is made or
 * updated by {@link dev.latchkey.server.upstream.UpstreamUsers}. The pages that send the browser there and take it
 * back ({@code /login/callback}) are in {@code ui}.
 */
package dev.latchkey.server.upstream;
