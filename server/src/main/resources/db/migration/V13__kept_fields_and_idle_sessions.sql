-- An SSO session also ends when unused for the tenant's idle_session_lifetime; each use moves this.
-- Null for sessions started before: they keep only their absolute expiry.
ALTER TABLE sso_sessions ADD COLUMN idle_expires_at BIGINT;

-- Fields of Auth0's Management API objects that Latchkey accepts, keeps and returns but does not act on
-- (a client's logo_uri, addons, ...), as one JSON object per object: kind is 'client', 'resource_server'
-- or 'client_grant', id the object's id.
CREATE TABLE kept_fields (
    kind   VARCHAR(32)  NOT NULL,
    id     VARCHAR(255) NOT NULL,
    fields VARCHAR      NOT NULL,
    PRIMARY KEY (kind, id)
);
