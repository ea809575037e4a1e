/**
 * Bulk user jobs (Auth0 {@code /api/v2/jobs}): imports of Auth0's users file and exports as NDJSON or
 * CSV. Jobs run in the background on a bounded executor; their rows, per-user errors and export files
 * are kept in the database so that any node can answer for them.
 */
package dev.latchkey.server.jobs;
