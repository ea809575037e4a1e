package dev.latchkey.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.identity.User;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * An export file as Auth0 writes it (Auth0 "Bulk User Exports"): gzip of one JSON object per line
 * ({@code json}) or CSV with a header line ({@code csv}), holding the requested {@code fields}, each
 * under its {@code export_as} name when given. Fields are user properties or paths under
 * {@code app_metadata.} and {@code user_metadata.}; a missing value is left out (json) or empty (csv).
 */
public final class UserExport implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public enum Format {
        JSON("json"), CSV("csv");

        private final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Format of(String wire) {
            for (Format format : values()) {
                if (format.wire.equals(wire)) {
                    return format;
                }
            }
            return null;
        }
    }

    /** A field to export and the name to write it as. */
    public record Field(String name, String exportAs) {
        String column() {
            return exportAs == null ? name : exportAs;
        }

        Map<String, Object> asMap() {
            return exportAs == null ? Map.of("name", name) : Map.of("name", name, "export_as", exportAs);
        }
    }

    private final Format format;
    private final List<Field> fields;
    private final Writer out;

    UserExport(Format format, List<Field> fields, OutputStream sink) throws IOException {
        this.format = format;
        this.fields = List.copyOf(fields);
        this.out = new OutputStreamWriter(new GZIPOutputStream(sink, 64 * 1024), StandardCharsets.UTF_8);
        if (format == Format.CSV) {
            StringBuilder header = new StringBuilder();
            for (Field field : fields) {
                header.append(header.length() == 0 ? "" : ",").append(csv(field.column()));
            }
            out.write(header.append('\n').toString());
        }
    }

    void write(User user) throws IOException {
        JsonNode view = view(user);
        if (format == Format.JSON) {
            ObjectNode line = MAPPER.createObjectNode();
            for (Field field : fields) {
                JsonNode value = at(view, field.name());
                if (value != null && !value.isMissingNode() && !value.isNull()) {
                    line.set(field.column(), value);
                }
            }
            out.write(MAPPER.writeValueAsString(line));
        } else {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < fields.size(); i++) {
                JsonNode value = at(view, fields.get(i).name());
                line.append(i == 0 ? "" : ",");
                if (value != null && !value.isMissingNode() && !value.isNull()) {
                    line.append(csv(value.isValueNode() ? value.asText() : value.toString()));
                }
            }
            out.write(line.toString());
        }
        out.write('\n');
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is neutralised. */
    static String csv(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static JsonNode at(JsonNode view, String name) {
        if (name.startsWith("app_metadata.") || name.startsWith("user_metadata.")) {
            JsonNode node = view;
            for (String key : name.split("\\.")) {
                node = node.path(key);
            }
            return node;
        }
        return view.get(name);
    }

    private static JsonNode view(User user) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("user_id", user.userId())
                .put("email", user.email())
                .put("email_verified", user.emailVerified())
                .put("connection", user.connection())
                .put("name", user.name())
                .put("given_name", user.givenName())
                .put("family_name", user.familyName())
                .put("nickname", user.nickname())
                .put("picture", user.picture())
                .put("blocked", user.blocked())
                .put("created_at", time(user.createdAt()))
                .put("updated_at", time(user.updatedAt()))
                .put("last_login", time(user.lastLogin()))
                .put("logins_count", user.loginsCount());
        if (user.phone() != null) {
            node.put("phone_number", user.phone().number()).put("phone_verified", user.phone().verified());
        }
        node.set("app_metadata", MAPPER.valueToTree(user.appMetadata()));
        node.set("user_metadata", MAPPER.valueToTree(user.userMetadata()));
        node.putArray("identities").addObject().put("connection", user.connection()).put("provider", "auth0")
                .put("user_id", user.idWithinConnection()).put("isSocial", false);
        return node;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
