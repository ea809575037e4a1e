-- Auth0's client flag is_token_endpoint_ip_header_trusted: the password grant counts failed logins
-- against the end-user address in the auth0-forwarded-for header when a confidential client with
-- this flag sends it. A column with a default only, so a server of the previous release keeps
-- writing clients beside this one. Same SQL for H2 and PostgreSQL.
ALTER TABLE clients ADD COLUMN is_token_endpoint_ip_header_trusted BOOLEAN DEFAULT FALSE NOT NULL;
