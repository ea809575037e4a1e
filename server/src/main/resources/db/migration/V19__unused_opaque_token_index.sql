-- opaque_tokens.code_hash is written by no release since V5 tied every token to its authorization (a replayed code
-- revokes the authorization, and with it the tokens), and nothing reads it: its index was one more entry written
-- for every token issued. Dropping an index leaves every release's statements valid.
DROP INDEX IF EXISTS opaque_tokens_code_hash;
