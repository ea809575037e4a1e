-- Refreshing upstream providers' tokens (Token Vault's refresh token exchange) and federated logout.
-- Expand only: every column added is nullable, and the previous release, which never writes them, keeps working.

-- When the provider's access token stops working (absolute, milliseconds); null when the provider gave no
-- expires_in, or the row was written before this column (then updated_at + expires_in is used).
ALTER TABLE user_identities ADD COLUMN expires_at BIGINT;
-- A refresh at the provider in progress until this time (milliseconds): one node at a time spends the
-- provider's refresh token, so that a token the provider rotates is never used twice nor lost.
ALTER TABLE user_identities ADD COLUMN refresh_claimed_until BIGINT;

-- An SSO session that started with a login at an upstream oidc connection: the connection's name and the
-- provider's ID token from that login, sealed under the master key (purpose bound to the session), for the
-- provider's end_session_endpoint (id_token_hint) when the application asks for a federated logout.
ALTER TABLE sso_sessions ADD COLUMN upstream_connection VARCHAR(128);
ALTER TABLE sso_sessions ADD COLUMN upstream_id_token VARCHAR;
