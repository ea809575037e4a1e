-- A user's phone number and postal address (OIDC Core §5.1, §5.1.1), released to clients by the
-- phone and address scopes (§5.4). Columns only are added, with defaults, so a server of the
-- previous release keeps writing users beside this one. Same SQL for H2 and PostgreSQL.

-- E.164, e.g. +14155550100 (what Auth0's Management API accepts for phone_number).
ALTER TABLE users ADD COLUMN phone_number VARCHAR(32);
ALTER TABLE users ADD COLUMN phone_verified BOOLEAN DEFAULT FALSE NOT NULL;
-- JSON object with the members of OIDC Core §5.1.1 (formatted, street_address, locality, region,
-- postal_code, country); null when the user has none.
ALTER TABLE users ADD COLUMN address VARCHAR;
