-- Login transactions remember the network that opened them; rows issued to a user are found by user.

-- The network (an IPv4 address, or an IPv6 /64) that opened a login transaction: the number a network
-- may hold open at once is capped, so /authorize cannot be used to fill the disk.
ALTER TABLE login_transactions ADD COLUMN network VARCHAR(64);
CREATE INDEX login_transactions_network ON login_transactions (network, expires_at);

-- Deleting a user, blocking one or setting a new password removes what was issued to them, by user_id.
CREATE INDEX login_transactions_user_id ON login_transactions (user_id);
CREATE INDEX authorization_codes_user_id ON authorization_codes (user_id);
CREATE INDEX opaque_tokens_user_id ON opaque_tokens (user_id);
