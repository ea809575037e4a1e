package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A response from Latchkey: its status and JSON body (null when there is none, as after a delete). */
record ServerAnswer(int status, JsonNode body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * What the server said went wrong, in either of its error shapes: OAuth's
     * {@code {error, error_description}} (RFC 6749 §5.2) or the Management API's
     * {@code {statusCode, error, message, errorCode}} (Auth0).
     */
    String errorMessage() {
        if (body == null || !body.isObject()) {
            return "HTTP " + status;
        }
        String description = text("error_description");
        if (description != null) {
            return description + " (HTTP " + status + " " + text("error") + ")";
        }
        String message = text("message");
        if (message != null) {
            String code = text("errorCode") != null ? text("errorCode") : text("error");
            return message + " (HTTP " + status + (code != null ? " " + code : "") + ")";
        }
        return "HTTP " + status + (text("error") != null ? " " + text("error") : "");
    }

    /** The error code of either shape: {@code error} for OAuth, {@code errorCode} for management. */
    String errorCode() {
        if (body == null || !body.isObject()) {
            return null;
        }
        return text("errorCode") != null ? text("errorCode") : text("error");
    }

    private String text(String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
