-- Users of database connections, brute-force counters and the tenant log.
-- Same conventions as V1: SQL common to H2 and PostgreSQL, times as epoch milliseconds.

-- Connections (Auth0 "connections"); only the database strategy ("auth0") for now.
CREATE TABLE connections (
    id              VARCHAR(64)  PRIMARY KEY,
    name            VARCHAR(128) NOT NULL UNIQUE,
    strategy        VARCHAR(32)  NOT NULL,
    display_name    VARCHAR(200),
    enabled_clients VARCHAR      NOT NULL,  -- JSON string array
    options         VARCHAR      NOT NULL,  -- JSON object
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL
);

-- Users. email is stored lowercased: unique per connection, case-insensitively.
-- password_hash is a PHC Argon2id string, or an imported bcrypt hash until the next login.
CREATE TABLE users (
    user_id         VARCHAR(64)  PRIMARY KEY,
    connection      VARCHAR(128) NOT NULL REFERENCES connections (name),
    email           VARCHAR(320) NOT NULL,
    email_verified  BOOLEAN      NOT NULL,
    password_hash   VARCHAR(200),
    name            VARCHAR(300),
    given_name      VARCHAR(150),
    family_name     VARCHAR(150),
    nickname        VARCHAR(300),
    picture         VARCHAR(2000),
    user_metadata   VARCHAR      NOT NULL,  -- JSON object
    app_metadata    VARCHAR      NOT NULL,  -- JSON object
    blocked         BOOLEAN      NOT NULL,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    last_login      BIGINT,
    last_ip         VARCHAR(64),
    logins_count    INTEGER      NOT NULL,
    last_password_reset BIGINT,
    CONSTRAINT users_connection_email UNIQUE (connection, email)
);
CREATE INDEX users_created_at ON users (created_at);

-- Failed logins per account and IP (Auth0 brute-force protection). The account is identified by a
-- SHA-256 of connection and lowercased email, so attempts on unknown emails are counted (and blocked)
-- the same way without keeping those emails. blocked_at is set once the threshold is reached.
CREATE TABLE login_failures (
    subject_hash VARCHAR(64) NOT NULL,
    ip           VARCHAR(64) NOT NULL,
    failures     INTEGER     NOT NULL,
    blocked_at   BIGINT,
    updated_at   BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL,
    PRIMARY KEY (subject_hash, ip)
);
CREATE INDEX login_failures_expires_at ON login_failures (expires_at);

-- Failed logins per IP across accounts, in fixed windows (credential-stuffing ceiling).
CREATE TABLE ip_login_failures (
    ip           VARCHAR(64) NOT NULL,
    window_start BIGINT      NOT NULL,
    failures     INTEGER     NOT NULL,
    expires_at   BIGINT      NOT NULL,
    PRIMARY KEY (ip, window_start)
);
CREATE INDEX ip_login_failures_expires_at ON ip_login_failures (expires_at);

-- The tenant log (Auth0 log events), kept 30 days.
CREATE TABLE logs (
    log_id      VARCHAR(64)  PRIMARY KEY,
    date        BIGINT       NOT NULL,
    type        VARCHAR(32)  NOT NULL,
    description VARCHAR(1000),
    client_id   VARCHAR(64),
    client_name VARCHAR(200),
    user_id     VARCHAR(64),
    user_name   VARCHAR(320),
    ip          VARCHAR(64),
    connection  VARCHAR(128),
    details     VARCHAR      NOT NULL,  -- JSON object
    expires_at  BIGINT       NOT NULL
);
CREATE INDEX logs_date ON logs (date, log_id);
CREATE INDEX logs_user_id ON logs (user_id, date);
CREATE INDEX logs_type ON logs (type, date);
CREATE INDEX logs_expires_at ON logs (expires_at);
