package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.ControlCharacters;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.jobs.UserExport;
import dev.latchkey.server.jobs.UserJob;
import dev.latchkey.server.jobs.UserJobs;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v2/jobs}: bulk user imports and exports, in Auth0's shapes (Auth0 Management API
 * "Create import users job", "Create export users job", "Get a job", "Get job error details").
 *
 * <p>Rules: an import is {@code multipart/form-data} with a {@code users} file, a {@code connection_id}
 * of a database connection, optional {@code upsert} and {@code external_id}
 * ({@code send_completion_email} is accepted and ignored: Latchkey sends no email); a file above the
 * configured size is a 413 and a file that is not a JSON array a 400, before any job exists. An export
 * takes {@code format} json or csv, {@code fields} of {@code {name, export_as}}, {@code limit} and an
 * optional {@code connection_id}.
 */
final class JobsResource {

    private static final Pattern JOB_ID = Pattern.compile("job_[A-Za-z0-9]{1,40}");
    private static final Set<String> EXPORT_FIELDS = Set.of("connection_id", "format", "limit", "fields");
    private static final int MAX_EXPORT_FIELDS = 100;

    private final UserJobs jobs;
    private final JobDownloadLinks links;
    private final Path uploads;
    private final long maxUploadBytes;

    JobsResource(UserJobs jobs, JobDownloadLinks links, Path uploads, long maxUploadBytes) {
        this.jobs = jobs;
        this.links = links;
        this.uploads = uploads;
        this.maxUploadBytes = maxUploadBytes;
    }

    void importUsers(Context ctx, ManagementCaller caller) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ManagementException(400, "Expected a multipart/form-data body with a users file",
                    "invalid_body");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes + 64 * 1024) {
            throw tooLarge();
        }
        Path file;
        String connectionId;
        boolean upsert;
        String externalId;
        try {
            Files.createDirectories(uploads);
            // Parts above 1 MiB go to disk as they arrive: the file is never held whole in memory.
            ctx.req().setAttribute("org.eclipse.jetty.multipartConfig", new MultipartConfigElement(
                    uploads.toString(), maxUploadBytes, maxUploadBytes + 64 * 1024, 1 << 20));
            Part users = ctx.req().getPart("users");
            if (users == null) {
                throw JsonBody.invalid("Missing required property: users", "users");
            }
            connectionId = field(ctx, "connection_id", 64, true);
            upsert = bool(ctx, "upsert");
            bool(ctx, "send_completion_email");
            externalId = field(ctx, "external_id", 128, false);
            file = Files.createTempFile(uploads, "import-", ".json");
            try (InputStream in = users.getInputStream()) {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                users.delete();
            }
        } catch (ManagementException e) {
            throw e;
        } catch (RuntimeException | ServletException | IOException e) {
            if (aboveLimit(e)) {
                throw tooLarge(); // Jetty: a part or the request above the sizes given
            }
            throw new ManagementException(400, "The multipart body cannot be read", "invalid_body");
        }
        UserJob job;
        try {
            Connection connection = jobs.databaseConnection(connectionId);
            job = jobs.startImport(file, connection, upsert, externalId);
        } catch (UserJobs.Refused e) {
            deleteQuietly(file);
            throw e.notFound() ? ManagementException.notFound(e.getMessage(), "inexistent_connection")
                    : ManagementException.badRequest(e.getMessage());
        } catch (UserJobs.Busy e) {
            throw new ManagementException(429, e.getMessage(), "too_many_requests");
        }
        Json.write(ctx, 202, view(job));
    }

    void exportUsers(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(EXPORT_FIELDS);
        Connection connection = body.string("connection_id", 64).map(id -> {
            try {
                return jobs.databaseConnection(id);
            } catch (UserJobs.Refused e) {
                throw e.notFound() ? ManagementException.notFound(e.getMessage(), "inexistent_connection")
                        : ManagementException.badRequest(e.getMessage());
            }
        }).orElse(null);
        UserExport.Format format = UserExport.Format.of(body.string("format", 10).orElse("json"));
        if (format == null) {
            throw JsonBody.invalid("No enum match for: format (Allowed values: json, csv)", "format");
        }
        JsonNode root = Json.MAPPER.valueToTree(body.asMap());
        Integer limit = null;
        JsonNode limitNode = root.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.canConvertToInt() || !limitNode.isIntegralNumber() || limitNode.asInt() < 1) {
                throw JsonBody.invalid("limit is a positive integer", "limit");
            }
            limit = limitNode.asInt();
        }
        List<UserExport.Field> fields = new ArrayList<>();
        JsonNode fieldsNode = root.get("fields");
        if (fieldsNode == null || fieldsNode.isNull()) {
            for (String name : List.of("user_id", "email", "email_verified", "name", "created_at")) {
                fields.add(new UserExport.Field(name, null));
            }
        } else {
            if (!fieldsNode.isArray() || fieldsNode.isEmpty() || fieldsNode.size() > MAX_EXPORT_FIELDS) {
                throw JsonBody.invalid("fields is an array of 1 to " + MAX_EXPORT_FIELDS + " {name, export_as}",
                        "fields");
            }
            for (JsonNode field : fieldsNode) {
                String name = field.path("name").asText("");
                JsonNode exportAs = field.get("export_as");
                if (!field.path("name").isTextual() || !name.matches("[A-Za-z0-9_.]{1,200}")
                        || (exportAs != null && !(exportAs.isTextual() && exportAs.asText().matches("[^\\p{Cntrl}]{1,200}")))) {
                    throw JsonBody.invalid("each field has a name (letters, digits, _ and .) and an optional "
                            + "export_as", "fields");
                }
                fields.add(new UserExport.Field(name, exportAs == null ? null : exportAs.asText()));
            }
        }
        try {
            Json.write(ctx, 201, view(jobs.startExport(connection, format, fields, limit)));
        } catch (UserJobs.Busy e) {
            throw new ManagementException(429, e.getMessage(), "too_many_requests");
        }
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(find(ctx)));
    }

    void errors(Context ctx, ManagementCaller caller) {
        UserJob job = find(ctx);
        Json.write(ctx, 200, jobs.errors(job.id()));
    }

    /** Not behind the token guard: the signed link is the credential. */
    void download(Context ctx) throws IOException {
        String id = ManagementRouter.pathParam(ctx, "id");
        if (!JOB_ID.matcher(id).matches() || !links.valid(id, ctx.queryParam("expires"), ctx.queryParam("signature"))) {
            throw ManagementException.unauthorized("The download link is invalid or has expired");
        }
        UserJob job = jobs.find(id).filter(j -> j.status() == UserJob.Status.COMPLETED)
                .orElseThrow(() -> ManagementException.notFound("The job does not exist.", "inexistent_job"));
        String format = String.valueOf(job.options().get("format"));
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/gzip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + job.id() + "." + format + ".gz\"");
        ctx.status(200);
        OutputStream out = ctx.res().getOutputStream();
        jobs.download(id, out);
        out.flush();
    }

    private UserJob find(Context ctx) {
        String id = ManagementRouter.pathParam(ctx, "id");
        if (!JOB_ID.matcher(id).matches()) {
            throw ManagementException.notFound("The job does not exist.", "inexistent_job");
        }
        return jobs.find(id).orElseThrow(() -> ManagementException.notFound("The job does not exist.",
                "inexistent_job"));
    }

    private ObjectNode view(UserJob job) {
        ObjectNode node = Json.object()
                .put("status", job.status().wire())
                .put("type", job.type().wire())
                .put("created_at", Views.time(job.createdAt()))
                .put("id", job.id());
        Views.putIfPresent(node, "connection_id", job.connectionId());
        Views.putIfPresent(node, "connection", job.connection());
        Views.putIfPresent(node, "external_id", job.externalId());
        job.options().forEach((name, value) -> node.set(name, Json.MAPPER.valueToTree(value)));
        if (job.summary() != null) {
            node.putObject("summary").put("failed", job.summary().failed()).put("updated", job.summary().updated())
                    .put("inserted", job.summary().inserted()).put("total", job.summary().total());
        }
        if (job.type() == UserJob.Type.USERS_EXPORT && job.status() == UserJob.Status.COMPLETED) {
            node.put("location", links.link(job.id()));
        }
        return node;
    }

    private static String field(Context ctx, String name, int max, boolean required) throws IOException,
            ServletException {
        Part part = ctx.req().getPart(name);
        if (part == null) {
            if (required) {
                throw JsonBody.invalid("Missing required property: " + name, name);
            }
            return null;
        }
        if (part.getSize() > max) {
            throw JsonBody.invalid("String is too long (" + part.getSize() + " chars), maximum " + max, name);
        }
        String value = new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (value.isEmpty() || ControlCharacters.in(value, false)) {
            throw JsonBody.invalid("Invalid " + name, name);
        }
        return value;
    }

    private static boolean bool(Context ctx, String name) throws IOException, ServletException {
        String value = field(ctx, name, 5, false);
        if (value == null) {
            return false;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw JsonBody.invalid("Expected type boolean but found type string", name);
        }
        return Boolean.parseBoolean(value);
    }

    private static boolean aboveLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (message.contains("size") || message.contains("exceed") || message.contains("too large")) {
                return true;
            }
        }
        return false;
    }

    private ManagementException tooLarge() {
        return new ManagementException(413, "The users file is larger than " + maxUploadBytes + " bytes",
                "payload_too_large");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the job store's sweep does not depend on it
        }
    }
}
