package dev.latchkey.server.audit;

import java.util.Map;

public record LogEvent(String type, String description, String clientId, String clientName, String userId,
                       String userName, String ip, String connection, Map<String, Object> details) {
}
