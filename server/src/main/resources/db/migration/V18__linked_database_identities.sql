-- Account linking (Auth0 "Link a user account"). A database user linked into another user stops being a user:
-- its identity becomes a row of user_identities (provider auth0, subject the id after "auth0|") and keeps the
-- credentials it logs in with, so that a password login through its connection finds the primary user.
-- Expand only: both columns are nullable and null for every identity of an upstream provider.
ALTER TABLE user_identities ADD COLUMN email VARCHAR(320);          -- lowercased, as users.email
ALTER TABLE user_identities ADD COLUMN password_hash VARCHAR(200);  -- as users.password_hash

-- A password login looks a linked database identity up by its connection and email; an email is held once per
-- connection, by a user or by a linked identity (NULLs, the upstream identities, do not collide).
CREATE UNIQUE INDEX user_identities_connection_email ON user_identities (connection, email);
