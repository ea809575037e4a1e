package dev.latchkey.server.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where jobs, the users an import refused, and export files are kept. */
public interface UserJobStore {

    void create(UserJob job);

    Optional<UserJob> find(String id);

    /** Writes the job's status and summary. */
    void update(UserJob job);

    /** Appends per-user error entries (JSON objects as text), numbered from {@code firstSeq}. */
    void addErrors(String jobId, int firstSeq, List<String> entries);

    /** The error entries of a job, in file order, at most {@code limit}. */
    List<String> errors(String jobId, int limit);

    /** Appends one chunk of a job's file. */
    void addChunk(String jobId, int seq, byte[] bytes);

    /** Writes the job's file, chunk by chunk, to {@code out}; false when the job has no file. */
    boolean copyFile(String jobId, OutputStream out) throws IOException;

    /** Marks jobs pending or processing whose row was last written before {@code before} as failed. */
    int failUnfinished(Instant before);

    /** Deletes jobs, their errors and files, expired before {@code now}. */
    int deleteExpired(Instant now);
}
