-- A rotating refresh token in the family form ("<lookup>.<secret>") is one row for its whole family: token_hash
-- holds the digest of the lookup part, which never changes, and each exchange replaces current_hash (the digest
-- of the secret part) in place, keeping the one before in previous_hash for the leeway and reuse detection. Both
-- columns are null for a row-form token (one row per token, found by the digest of its whole value). Neither is
-- indexed, so an exchange writes no index entry. Adding nullable columns leaves every release's statements valid.
ALTER TABLE refresh_tokens ADD COLUMN current_hash VARCHAR(64);
ALTER TABLE refresh_tokens ADD COLUMN previous_hash VARCHAR(64);
-- The live token's generation in its family (exchanges before it); null for the row form. See FamilySecrets.
ALTER TABLE refresh_tokens ADD COLUMN generation INTEGER;
