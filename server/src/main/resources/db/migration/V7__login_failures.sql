-- Failed logins per account across every IP (OWASP ASVS 2.2.1): guessing one account's password from
-- many addresses is slowed down by the account's own count, so the per-IP ceiling no longer has to stand
-- between a user and their account. The account is the SHA-256 subject of login_failures; the count is
-- forgotten a day after its last failure.
CREATE TABLE account_login_failures (
    subject_hash    VARCHAR(64) PRIMARY KEY,
    failures        INTEGER     NOT NULL,
    last_failure_at BIGINT      NOT NULL,
    expires_at      BIGINT      NOT NULL
);
CREATE INDEX account_login_failures_expires_at ON account_login_failures (expires_at);
