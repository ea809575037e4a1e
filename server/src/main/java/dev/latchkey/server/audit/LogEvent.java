package dev.latchkey.server.audit;

import java.util.Map;

/**
 * Something worth an entry in the tenant log. {@code type} is an Auth0 log event type code
 * ({@code s}, {@code f}, {@code fu}, {@code fp}, {@code limit_wc}, {@code seccft}, ...; Auth0: "Log
 * Event Type Codes"). Every field but {@code type} may be null.
 */
public record LogEvent(String type, String description, String clientId, String clientName, String userId,
                       String userName, String ip, String connection, Map<String, Object> details) {

    public LogEvent {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("A log event needs a type");
        }
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(details));
    }
}
