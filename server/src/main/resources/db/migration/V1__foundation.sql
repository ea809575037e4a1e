-- Written in the SQL that H2 (embedded default) and PostgreSQL share.
-- Times are epoch milliseconds (BIGINT): portable and free of time-zone surprises.

CREATE TABLE lock_rows (
    name VARCHAR(64) PRIMARY KEY
);
INSERT INTO lock_rows (name) VALUES ('signing_keys');
INSERT INTO lock_rows (name) VALUES ('bootstrap');

-- RSA signing keys; the private key is AES-GCM encrypted with the master key.
CREATE TABLE signing_keys (
    kid                   VARCHAR(100) PRIMARY KEY,
    state                 VARCHAR(16)  NOT NULL,  -- next | current | previous | revoked
    public_jwk            VARCHAR      NOT NULL,  -- JSON, with x5c
    private_key_encrypted VARCHAR      NOT NULL,
    created_at            BIGINT       NOT NULL,
    current_since         BIGINT,
    current_until         BIGINT,
    revoked_at            BIGINT
);
CREATE INDEX signing_keys_state ON signing_keys (state);

-- APIs (Auth0 "resource servers").
CREATE TABLE resource_servers (
    id                       VARCHAR(64)  PRIMARY KEY,
    identifier               VARCHAR(600) NOT NULL UNIQUE,
    name                     VARCHAR(200) NOT NULL,
    is_system                BOOLEAN      NOT NULL,
    scopes                   VARCHAR      NOT NULL,  -- JSON [{value, description}]
    signing_alg              VARCHAR(16)  NOT NULL,
    signing_secret_encrypted VARCHAR,
    token_lifetime           INTEGER      NOT NULL,
    token_lifetime_for_web   INTEGER      NOT NULL,
    allow_offline_access     BOOLEAN      NOT NULL,
    skip_consent             BOOLEAN      NOT NULL,
    enforce_policies         BOOLEAN      NOT NULL,
    token_dialect            VARCHAR(32)  NOT NULL,
    created_at               BIGINT       NOT NULL,
    updated_at               BIGINT       NOT NULL
);

-- Applications. The secret is kept as a SHA-256 hash (verified per request) and an
-- encrypted copy (returned by the Management API, as Auth0 does).
CREATE TABLE clients (
    client_id                  VARCHAR(64)  PRIMARY KEY,
    name                       VARCHAR(200) NOT NULL,
    description                VARCHAR(1000),
    app_type                   VARCHAR(32)  NOT NULL,
    is_first_party             BOOLEAN      NOT NULL,
    is_system                  BOOLEAN      NOT NULL,
    token_endpoint_auth_method VARCHAR(32)  NOT NULL,
    secret_hash                VARCHAR(64),
    secret_encrypted           VARCHAR,
    grant_types                VARCHAR      NOT NULL,  -- JSON string array
    callbacks                  VARCHAR      NOT NULL,  -- JSON string array
    allowed_logout_urls        VARCHAR      NOT NULL,
    web_origins                VARCHAR      NOT NULL,
    allowed_origins            VARCHAR      NOT NULL,
    jwt_configuration          VARCHAR      NOT NULL,  -- JSON object
    client_metadata            VARCHAR      NOT NULL,  -- JSON object
    created_at                 BIGINT       NOT NULL,
    updated_at                 BIGINT       NOT NULL
);
CREATE INDEX clients_created_at ON clients (created_at);

-- Which client may obtain tokens for which API, with which scopes.
CREATE TABLE client_grants (
    id         VARCHAR(64)  PRIMARY KEY,
    client_id  VARCHAR(64)  NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    audience   VARCHAR(600) NOT NULL,
    scope      VARCHAR      NOT NULL,  -- JSON string array
    created_at BIGINT       NOT NULL,
    CONSTRAINT client_grants_client_audience UNIQUE (client_id, audience)
);
CREATE INDEX client_grants_audience ON client_grants (audience);
