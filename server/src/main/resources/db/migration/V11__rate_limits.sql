-- Token buckets shared by the nodes of a cluster (Bucket4j's PostgreSQL layout): failed client authentications
-- per client_id and Management API calls per token. The key is a limit's name and the SHA-256 of what it
-- limits; the state is Bucket4j's; expires_at (epoch milliseconds) is when the bucket is full again and the
-- row means nothing any more, so the sweeper deletes it.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(100) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX rate_limit_buckets_expires_at ON rate_limit_buckets (expires_at);
