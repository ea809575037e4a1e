-- The token lifecycle: every user authorization is a row with an id that its code, opaque access
-- tokens, refresh tokens and JWT access tokens (through their jti) name, so that revoking it
-- revokes everything it gave. Machine-to-machine tokens hang from their client grant instead and
-- write nothing.

CREATE TABLE authorizations (
    id         VARCHAR(64)  PRIMARY KEY,
    user_id    VARCHAR(255) NOT NULL,
    client_id  VARCHAR(64)  NOT NULL,
    audience   VARCHAR(600),
    scope      VARCHAR      NOT NULL,
    sid        VARCHAR(64),
    auth_time  BIGINT       NOT NULL,
    acr        VARCHAR(64),
    created_at BIGINT       NOT NULL,
    revoked_at BIGINT,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX authorizations_expires_at ON authorizations (expires_at);
CREATE INDEX authorizations_user_client ON authorizations (user_id, client_id);
CREATE INDEX authorizations_sid ON authorizations (sid);

ALTER TABLE authorization_codes ADD COLUMN authorization_id VARCHAR(64);
ALTER TABLE authorization_codes ADD COLUMN acr VARCHAR(64);
-- RFC 6749 §4.1.3: a code whose request named redirect_uri is redeemed only with it.
ALTER TABLE authorization_codes ADD COLUMN redirect_uri_given BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE opaque_tokens ADD COLUMN authorization_id VARCHAR(64);
CREATE INDEX opaque_tokens_authorization_id ON opaque_tokens (authorization_id);

-- Refresh tokens (RFC 6749 §6, Auth0 §4.2), stored as SHA-256 digests. A rotating family shares
-- family_id; rotated_at marks a token already exchanged (a later use is a reuse unless within the
-- client's leeway and it is the family's previous token). idle_expires_at restarts on each exchange;
-- absolute_expires_at is fixed at the first issue; expires_at is the sooner of the two, for the
-- sweeper and for the lookup. A used token is kept until the family's end so reuse is recognised.
CREATE TABLE refresh_tokens (
    id                  VARCHAR(64)  PRIMARY KEY,
    token_hash          VARCHAR(64)  NOT NULL UNIQUE,
    family_id           VARCHAR(64)  NOT NULL,
    authorization_id    VARCHAR(64)  NOT NULL,
    client_id           VARCHAR(64)  NOT NULL,
    user_id             VARCHAR(255) NOT NULL,
    audience            VARCHAR(600),
    scope               VARCHAR      NOT NULL,
    sid                 VARCHAR(64),
    rotating            BOOLEAN      NOT NULL,
    created_at          BIGINT       NOT NULL,
    last_used_at        BIGINT,
    rotated_at          BIGINT,
    idle_expires_at     BIGINT,
    absolute_expires_at BIGINT,
    expires_at          BIGINT       NOT NULL
);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_authorization_id ON refresh_tokens (authorization_id);
CREATE INDEX refresh_tokens_user_client ON refresh_tokens (user_id, client_id, created_at);

-- The client's refresh_token object (Auth0 §4.2) as JSON; null means Auth0's defaults.
ALTER TABLE clients ADD COLUMN refresh_token VARCHAR;

-- Tenant-wide settings Latchkey acts on (Auth0's tenant flags), one row.
CREATE TABLE tenant_settings (
    id       INT     PRIMARY KEY,
    settings VARCHAR NOT NULL  -- JSON object
);
