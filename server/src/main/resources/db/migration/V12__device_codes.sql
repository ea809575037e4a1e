-- Device authorization (RFC 8628): device codes, and login transactions that end in a device approval.

-- A device code and its user code, stored only as SHA-256 hex digests. status is pending, approved, denied,
-- used or expired (expired_token answered once); an approval records the user, the scopes granted and the
-- authorization the tokens hang from. interval_seconds grows by 5 at each slow_down (RFC 8628 §3.5);
-- polled_at is the last accepted poll (0 for none) and slowed whether the interval grew since. valid_until
-- ends the code (expires_in); the row is kept until expires_at so that late polls are answered.
CREATE TABLE device_codes (
    id                VARCHAR(64)  PRIMARY KEY,
    device_code_hash  VARCHAR(64)  NOT NULL UNIQUE,
    user_code_hash    VARCHAR(64)  NOT NULL UNIQUE,
    client_id         VARCHAR(64)  NOT NULL,
    scope             VARCHAR      NOT NULL,
    audience          VARCHAR(600),
    status            VARCHAR(16)  NOT NULL,
    user_id           VARCHAR(255),
    granted_scope     VARCHAR,
    authorization_id  VARCHAR(64),
    auth_time         BIGINT,
    sid               VARCHAR(64),
    interval_seconds  INT          NOT NULL,
    polled_at         BIGINT       NOT NULL,
    slowed            BOOLEAN      NOT NULL,
    issued_at         BIGINT       NOT NULL,
    valid_until       BIGINT       NOT NULL,
    expires_at        BIGINT       NOT NULL
);
CREATE INDEX device_codes_expires_at ON device_codes (expires_at);

-- What a login transaction ends in: null (an /authorize response, as before) or device_approval, with the
-- device code it approves. Both nullable: a node of the previous release still writes its transactions.
ALTER TABLE login_transactions ADD COLUMN kind VARCHAR(32);
ALTER TABLE login_transactions ADD COLUMN device_code_id VARCHAR(64);
