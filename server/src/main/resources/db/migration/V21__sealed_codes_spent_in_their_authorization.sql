-- An authorization code of the sealed form carries what it is bound to (redirect URI, PKCE challenge, nonce,
-- validity) sealed under the master key, and names its authorization; it has no row of its own. Its single use is
-- this column of its authorization: set by the one exchange that finds it null, and kept with the authorization,
-- so that a replay is recognised for as long as the tokens it gave can be revoked. Null for every authorization a
-- row-form code carries. Adding a nullable column leaves every release's statements valid.
ALTER TABLE authorizations ADD COLUMN code_used_at BIGINT;
