-- Browser flows: SSO sessions, login transactions, authorization codes, opaque access tokens and
-- remembered consents. Secrets (session cookies, transaction ids, codes, tokens) are stored only as
-- SHA-256 hex digests. Every expiring row has an indexed expires_at for the sweeper.

-- A signed-in browser. The cookie holds a random secret; sid is the public id put in ID tokens.
CREATE TABLE sso_sessions (
    id_hash    VARCHAR(64) PRIMARY KEY,
    sid        VARCHAR(64) NOT NULL UNIQUE,
    user_id    VARCHAR(255) NOT NULL,
    auth_time  BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX sso_sessions_expires_at ON sso_sessions (expires_at);
CREATE INDEX sso_sessions_user_id ON sso_sessions (user_id);

-- An /authorize request waiting for the login or consent page. The request is the checked
-- authorization as JSON; csrf_hash binds the page forms to the browser that started it.
CREATE TABLE login_transactions (
    id_hash    VARCHAR(64) PRIMARY KEY,
    client_id  VARCHAR(64) NOT NULL,
    request    VARCHAR     NOT NULL,
    csrf_hash  VARCHAR(64) NOT NULL,
    user_id    VARCHAR(255),
    auth_time  BIGINT,
    sid        VARCHAR(64),
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX login_transactions_expires_at ON login_transactions (expires_at);

-- Authorization codes (RFC 6749 §4.1.2): single use, bound to client, redirect URI, PKCE challenge.
-- A used code stays (consumed_at set) until it expires so that a replay is recognised.
CREATE TABLE authorization_codes (
    code_hash             VARCHAR(64)  PRIMARY KEY,
    client_id             VARCHAR(64)  NOT NULL,
    redirect_uri          VARCHAR      NOT NULL,
    code_challenge        VARCHAR(128),
    code_challenge_method VARCHAR(16),
    nonce                 VARCHAR,
    scope                 VARCHAR      NOT NULL,
    audience              VARCHAR(600),
    user_id               VARCHAR(255) NOT NULL,
    auth_time             BIGINT       NOT NULL,
    sid                   VARCHAR(64),
    issued_at             BIGINT       NOT NULL,
    valid_until           BIGINT       NOT NULL,
    consumed_at           BIGINT,
    expires_at            BIGINT       NOT NULL
);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

-- Opaque access tokens, good only at /userinfo. code_hash names the code they came from, so a
-- replayed code can revoke them (RFC 6749 §4.1.2).
CREATE TABLE opaque_tokens (
    token_hash VARCHAR(64)  PRIMARY KEY,
    client_id  VARCHAR(64)  NOT NULL,
    user_id    VARCHAR(255) NOT NULL,
    scope      VARCHAR      NOT NULL,
    code_hash  VARCHAR(64),
    issued_at  BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX opaque_tokens_expires_at ON opaque_tokens (expires_at);
CREATE INDEX opaque_tokens_code_hash ON opaque_tokens (code_hash);

-- Consent a user gave a client for an audience (Auth0 "user grants", /api/v2/grants).
CREATE TABLE user_grants (
    id         VARCHAR(64)  PRIMARY KEY,
    user_id    VARCHAR(255) NOT NULL,
    client_id  VARCHAR(64)  NOT NULL,
    audience   VARCHAR(600) NOT NULL,
    scope      VARCHAR      NOT NULL,  -- JSON string array
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    CONSTRAINT user_grants_user_client_audience UNIQUE (user_id, client_id, audience)
);
CREATE INDEX user_grants_client_id ON user_grants (client_id);
CREATE INDEX user_grants_created_at ON user_grants (created_at);
