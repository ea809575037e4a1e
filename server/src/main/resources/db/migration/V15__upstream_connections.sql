-- Connections written through the Management API, and users who log in through an upstream identity
-- provider (strategy oidc). Expand only: every column added is nullable, every table new, and widening a
-- column or dropping a NOT NULL leaves the previous release working on the new schema.

-- Auth0's other connection fields. options keeps no secret: an upstream's client_secret is sealed under the
-- master key in sealed_secret (purpose "connection-secret"), never returned in reads.
ALTER TABLE connections ADD COLUMN realms VARCHAR;                -- JSON string array; null = [name]
ALTER TABLE connections ADD COLUMN metadata VARCHAR;              -- JSON object of strings; null = {}
ALTER TABLE connections ADD COLUMN is_domain_connection BOOLEAN;  -- null = false
ALTER TABLE connections ADD COLUMN show_as_button BOOLEAN;        -- null = true
ALTER TABLE connections ADD COLUMN sealed_secret VARCHAR;

-- Upstream user ids are Auth0's <strategy>|<connection>|<subject>: longer than a database user's, and an
-- upstream may give no email.
ALTER TABLE users ALTER COLUMN user_id SET DATA TYPE VARCHAR(512);
ALTER TABLE user_roles ALTER COLUMN user_id SET DATA TYPE VARCHAR(512);
ALTER TABLE user_permissions ALTER COLUMN user_id SET DATA TYPE VARCHAR(512);
ALTER TABLE logs ALTER COLUMN user_id SET DATA TYPE VARCHAR(512);
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

-- A user's identities at upstream providers (Auth0 identities[]): one row per provider account, found by the
-- connection and the provider's subject. The provider's tokens are sealed under the master key (purpose
-- "idp-token"); expires_in is as the provider gave it at the last login.
CREATE TABLE user_identities (
    connection     VARCHAR(128) NOT NULL,
    subject        VARCHAR(255) NOT NULL,
    user_id        VARCHAR(512) NOT NULL,
    provider       VARCHAR(64)  NOT NULL,
    profile_data   VARCHAR      NOT NULL,  -- JSON object: the provider's claims
    access_token   VARCHAR,
    refresh_token  VARCHAR,
    expires_in     BIGINT,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (connection, subject)
);
CREATE INDEX user_identities_user_id ON user_identities (user_id);

-- Logins in progress at an upstream provider, keyed by a SHA-256 of the state sent there; consumed once by
-- the callback. payload is sealed under the master key (purpose "upstream-login"): the login transaction's id,
-- the PKCE verifier and the nonce.
CREATE TABLE upstream_logins (
    state_hash  VARCHAR(64)  PRIMARY KEY,
    connection  VARCHAR(128) NOT NULL,
    payload     VARCHAR      NOT NULL,
    expires_at  BIGINT       NOT NULL
);
CREATE INDEX upstream_logins_expires_at ON upstream_logins (expires_at);
