package dev.latchkey.server.ratelimit;

/**
 * What one bucket says after a request, in the terms of Auth0's headers: its size ({@code x-ratelimit-limit}),
 * what is left ({@code x-ratelimit-remaining}), when it is full again as UNIX seconds ({@code x-ratelimit-reset}),
 * and, when the request was refused, how long to wait for the next token ({@code Retry-After}, RFC 9110 §10.2.3).
 */
public record Quota(boolean allowed, long limit, long remaining, long resetEpochSecond, long retryAfterSeconds) {
}
