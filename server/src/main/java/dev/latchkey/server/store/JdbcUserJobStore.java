package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.jobs.UserJob;
import dev.latchkey.server.jobs.UserJobStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcUserJobStore implements UserJobStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final RowMapper<UserJob> MAPPER = (rs, ctx) -> new UserJob(
            rs.getString("id"),
            UserJob.Type.valueOf(rs.getString("type")),
            UserJob.Status.valueOf(rs.getString("status")),
            rs.getString("connection_id"),
            rs.getString("connection"),
            rs.getString("external_id"),
            JsonColumns.read(rs.getString("options"), OBJECT),
            rs.getString("summary") == null ? null : JsonColumns.read(rs.getString("summary"), UserJob.Summary.class),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("expires_at")));

    private final Jdbi jdbi;

    public JdbcUserJobStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(UserJob job) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO user_jobs (id, type, status, connection_id, connection, external_id, options, summary,
                            created_at, updated_at, expires_at)
                        VALUES (:id, :type, :status, :connection_id, :connection, :external_id, :options, :summary,
                            :created_at, :created_at, :expires_at)""")
                .bind("id", job.id()).bind("type", job.type().name()).bind("status", job.status().name())
                .bind("connection_id", job.connectionId()).bind("connection", job.connection())
                .bind("external_id", job.externalId()).bind("options", JsonColumns.write(job.options()))
                .bind("summary", job.summary() == null ? null : JsonColumns.write(job.summary()))
                .bind("created_at", Times.millis(job.createdAt())).bind("expires_at", Times.millis(job.expiresAt()))
                .execute());
    }

    @Override
    public Optional<UserJob> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_jobs WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne());
    }

    @Override
    public void update(UserJob job) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE user_jobs SET status = :status, summary = :summary, updated_at = :now WHERE id = :id""")
                .bind("id", job.id()).bind("status", job.status().name())
                .bind("summary", job.summary() == null ? null : JsonColumns.write(job.summary()))
                .bind("now", System.currentTimeMillis())
                .execute());
    }

    @Override
    public void addErrors(String jobId, int firstSeq, List<String> entries) {
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO user_job_errors (job_id, seq, entry) VALUES (:job_id, :seq, :entry)");
            for (int i = 0; i < entries.size(); i++) {
                batch.bind("job_id", jobId).bind("seq", firstSeq + i).bind("entry", entries.get(i)).add();
            }
            batch.execute();
        });
    }

    @Override
    public List<String> errors(String jobId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT entry FROM user_job_errors WHERE job_id = :job_id ORDER BY seq LIMIT :limit")
                .bind("job_id", jobId).bind("limit", limit).mapTo(String.class).list());
    }

    @Override
    public void addChunk(String jobId, int seq, byte[] bytes) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO user_job_files (job_id, seq, bytes) VALUES (:job_id, :seq, :bytes)")
                .bind("job_id", jobId).bind("seq", seq).bind("bytes", bytes).execute());
    }

    /** Reads one chunk per query, so a file of any size passes through 1 MiB of heap. */
    @Override
    public boolean copyFile(String jobId, OutputStream out) throws IOException {
        for (int seq = 0; ; seq++) {
            int current = seq;
            Optional<byte[]> chunk = jdbi.withHandle(h -> h.createQuery(
                            "SELECT bytes FROM user_job_files WHERE job_id = :job_id AND seq = :seq")
                    .bind("job_id", jobId).bind("seq", current).mapTo(byte[].class).findOne());
            if (chunk.isEmpty()) {
                return seq > 0;
            }
            out.write(chunk.get());
        }
    }

    @Override
    public int failUnfinished(Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE user_jobs SET status = 'FAILED', updated_at = :now
                        WHERE status IN ('PENDING', 'PROCESSING') AND updated_at < :before""")
                .bind("before", Times.millis(before)).bind("now", System.currentTimeMillis()).execute());
    }

    @Override
    public int deleteExpired(Instant now) {
        return jdbi.inTransaction(h -> {
            long at = Times.millis(now);
            h.createUpdate("DELETE FROM user_job_errors WHERE job_id IN (SELECT id FROM user_jobs WHERE expires_at < :now)")
                    .bind("now", at).execute();
            h.createUpdate("DELETE FROM user_job_files WHERE job_id IN (SELECT id FROM user_jobs WHERE expires_at < :now)")
                    .bind("now", at).execute();
            return h.createUpdate("DELETE FROM user_jobs WHERE expires_at < :now").bind("now", at).execute();
        });
    }
}
