package dev.latchkey.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.jobs.BulkUserStore.ImportedUser;
import dev.latchkey.server.jobs.BulkUserStore.Outcome;
import dev.latchkey.server.keys.RandomStrings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts and runs bulk user jobs. Each job runs on a small bounded executor (one job at a time per
 * node, a few waiting); when the queue is full a new job is refused with {@link Busy}, never queued
 * without bound. An import reads its file as a stream and writes users in batches of {@link #BATCH};
 * an export writes its gzip file into the database in chunks ({@link UserExport}).
 */
public final class UserJobs implements AutoCloseable {

    static final int BATCH = 500;
    /** Auth0 keeps jobs and their files for a while; a day here. */
    static final Duration KEPT = Duration.ofDays(1);
    /** At most this many error entries are kept per import (the summary still counts them all). */
    static final int MAX_ERRORS = 10_000;
    /** A job pending or processing for this long was left by a node that stopped. */
    static final Duration STALE = Duration.ofHours(6);
    private static final Logger LOG = LoggerFactory.getLogger(UserJobs.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final UserJobStore jobs;
    private final BulkUserStore users;
    private final ConnectionStore connections;
    private final UserAccounts accounts;
    private final Clock clock;
    private final ThreadPoolExecutor executor;

    public UserJobs(UserJobStore jobs, BulkUserStore users, ConnectionStore connections, UserAccounts accounts,
                    Clock clock, int queued) {
        this.jobs = jobs;
        this.users = users;
        this.connections = connections;
        this.accounts = accounts;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                runnable -> {
                    Thread thread = new Thread(runnable, "latchkey-user-jobs");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        // Another node may be running its own jobs: only those untouched for STALE are taken as abandoned.
        jobs.failUnfinished(clock.instant().minus(STALE));
    }

    /** No room for another job on this node now. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("Too many jobs are running or waiting; try again later", null, false, false);
        }
    }

    /** A request that cannot become a job: unknown connection, malformed file. */
    public static final class Refused extends RuntimeException {
        private final boolean notFound;

        Refused(String message, boolean notFound) {
            super(message, null, false, false);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /** The database connection with this id. */
    public Connection databaseConnection(String connectionId) {
        Connection connection = connections.findById(connectionId)
                .orElseThrow(() -> new Refused("The connection does not exist", true));
        if (!Connection.DATABASE_STRATEGY.equals(connection.strategy())) {
            throw new Refused("The connection " + connection.name() + " is not a database connection", false);
        }
        return connection;
    }

    /**
     * Checks the syntax of {@code file} (which this takes over and deletes when done), records a
     * pending job and queues it.
     */
    public UserJob startImport(Path file, Connection connection, boolean upsert, String externalId) {
        try {
            UserImportFile.check(file);
        } catch (UserImportFile.Malformed e) {
            delete(file);
            throw new Refused(e.getMessage(), false);
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        }
        UserJob job = newJob(UserJob.Type.USERS_IMPORT, connection, externalId, Map.of("upsert", upsert));
        submit(job, () -> runImport(job, file, connection, upsert), file);
        return job;
    }

    /** Records a pending export of {@code connection} (all database connections when null) and queues it. */
    public UserJob startExport(Connection connection, UserExport.Format format, List<UserExport.Field> fields,
                               Integer limit) {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("format", format.wire());
        options.put("fields", fields.stream().map(UserExport.Field::asMap).toList());
        if (limit != null) {
            options.put("limit", limit);
        }
        UserJob job = newJob(UserJob.Type.USERS_EXPORT, connection, null, options);
        submit(job, () -> runExport(job, connection, format, fields, limit), null);
        return job;
    }

    public Optional<UserJob> find(String id) {
        return jobs.find(id);
    }

    /** The error entries of an import: {@code {"user":{...},"errors":[{"code","message","path"}]}}. */
    public List<JsonNode> errors(String id) {
        List<JsonNode> entries = new ArrayList<>();
        for (String entry : jobs.errors(id, MAX_ERRORS)) {
            try {
                entries.add(MAPPER.readTree(entry));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /** Writes an export's file (gzip) to {@code out}; false when there is none. */
    public boolean download(String id, java.io.OutputStream out) throws IOException {
        return jobs.copyFile(id, out);
    }

    private UserJob newJob(UserJob.Type type, Connection connection, String externalId, Map<String, Object> options) {
        Instant now = clock.instant();
        UserJob job = new UserJob("job_" + RandomStrings.alphanumeric(16), type, UserJob.Status.PENDING,
                connection == null ? null : connection.id(), connection == null ? null : connection.name(),
                externalId, options, null, now, now.plus(KEPT));
        jobs.create(job);
        return job;
    }

    private void submit(UserJob job, Runnable work, Path file) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("Job {} failed", job.id(), e);
                    jobs.update(job.with(UserJob.Status.FAILED, job.summary()));
                } finally {
                    if (file != null) {
                        delete(file);
                    }
                    jobs.deleteExpired(clock.instant());
                }
            });
        } catch (RejectedExecutionException e) {
            jobs.update(job.with(UserJob.Status.FAILED, null));
            if (file != null) {
                delete(file);
            }
            throw new Busy();
        }
    }

    private void runImport(UserJob job, Path file, Connection connection, boolean upsert) {
        jobs.update(job.with(UserJob.Status.PROCESSING, null));
        long[] counts = new long[4]; // failed, updated, inserted, total
        int[] errorSeq = {0};
        List<ImportedUser> batch = new ArrayList<>(BATCH);
        List<String> errors = new ArrayList<>();
        Set<String> seenInBatch = new HashSet<>();
        try {
            UserImportFile.read(file, (entry, index) -> {
                counts[3]++;
                UserImportEntry.Checked checked = UserImportEntry.check(entry, connection, accounts);
                if (checked.user() == null) {
                    counts[0]++;
                    errors.add(errorEntry(entry, checked.problems()));
                } else if (!seenInBatch.add(checked.user().user().email())
                        || !seenInBatch.add("id:" + checked.user().user().userId())) {
                    counts[0]++;
                    errors.add(errorEntry(entry, List.of(new UserImportEntry.Problem("DUPLICATED_USER",
                            "The file holds this user more than once", "email"))));
                } else {
                    batch.add(checked.user());
                }
                if (batch.size() >= BATCH) {
                    flush(batch, upsert, counts, errors);
                    seenInBatch.clear();
                }
                if (errors.size() >= BATCH) {
                    saveErrors(job, errors, errorSeq);
                }
            });
            flush(batch, upsert, counts, errors);
            saveErrors(job, errors, errorSeq);
        } catch (UserImportFile.Malformed e) {
            // Checked before the job was queued; only a file changed underneath could get here.
            jobs.update(job.with(UserJob.Status.FAILED, summary(counts)));
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jobs.update(job.with(UserJob.Status.COMPLETED, summary(counts)));
    }

    private void flush(List<ImportedUser> batch, boolean upsert, long[] counts, List<String> errors) {
        if (batch.isEmpty()) {
            return;
        }
        List<Outcome> outcomes = users.importBatch(batch, upsert);
        for (int i = 0; i < batch.size(); i++) {
            switch (outcomes.get(i)) {
                case INSERTED -> counts[2]++;
                case UPDATED -> counts[1]++;
                case DUPLICATE -> {
                    counts[0]++;
                    ObjectNode reported = MAPPER.createObjectNode()
                            .put("email", batch.get(i).user().email())
                            .put("user_id", batch.get(i).user().userId());
                    errors.add(errorEntry(reported, List.of(new UserImportEntry.Problem("DUPLICATED_USER",
                            "The user already exists and upsert parameter is false", "email"))));
                }
            }
        }
        batch.clear();
    }

    private void saveErrors(UserJob job, List<String> errors, int[] seq) {
        int room = MAX_ERRORS - seq[0];
        if (room > 0 && !errors.isEmpty()) {
            List<String> kept = errors.subList(0, Math.min(room, errors.size()));
            jobs.addErrors(job.id(), seq[0], kept);
            seq[0] += kept.size();
        }
        errors.clear();
    }

    private static String errorEntry(JsonNode entry, List<UserImportEntry.Problem> problems) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("user", UserImportEntry.reported(entry));
        var list = node.putArray("errors");
        problems.forEach(p -> list.addObject().put("code", p.code()).put("message", p.message()).put("path", p.path()));
        return node.toString();
    }

    private static UserJob.Summary summary(long[] counts) {
        return new UserJob.Summary(counts[0], counts[1], counts[2], counts[3]);
    }

    private void runExport(UserJob job, Connection connection, UserExport.Format format, List<UserExport.Field> fields,
                           Integer limit) {
        jobs.update(job.with(UserJob.Status.PROCESSING, null));
        try (UserExport export = new UserExport(format, fields,
                new ChunkOutputStream(chunk -> jobs.addChunk(job.id(), chunk.seq(), chunk.bytes())))) {
            String after = null;
            long written = 0;
            long max = limit == null ? Long.MAX_VALUE : limit;
            while (written < max) {
                var page = users.page(connection == null ? null : connection.name(), after,
                        (int) Math.min(BATCH, max - written));
                if (page.isEmpty()) {
                    break;
                }
                for (var user : page) {
                    export.write(user);
                }
                written += page.size();
                after = page.get(page.size() - 1).userId();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jobs.update(job.with(UserJob.Status.COMPLETED, null));
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
