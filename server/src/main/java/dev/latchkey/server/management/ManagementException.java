package dev.latchkey.server.management;

/**
 * A Management API error, written as Auth0 writes them:
 * {@code {"statusCode":403,"error":"Forbidden","message":"...","errorCode":"insufficient_scope"}}.
 */
public final class ManagementException extends RuntimeException {

    private final int statusCode;
    private final String errorCode;

    public ManagementException(int statusCode, String message, String errorCode) {
        super(message, null, false, false);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    public static ManagementException badRequest(String message) {
        return new ManagementException(400, message, "invalid_body");
    }

    public static ManagementException invalidQuery(String message) {
        return new ManagementException(400, message, "invalid_query_string");
    }

    public static ManagementException unauthorized(String message) {
        return new ManagementException(401, message, "invalid_token");
    }

    public static ManagementException insufficientScope(String expected) {
        return new ManagementException(403, "Insufficient scope, expected any of: " + expected, "insufficient_scope");
    }

    /** A 403 {@code insufficient_scope} that says what the caller lacks when it is not one route scope. */
    public static ManagementException insufficientScopeFor(String message) {
        return new ManagementException(403, message, "insufficient_scope");
    }

    public static ManagementException forbidden(String message) {
        return new ManagementException(403, message, "operation_not_supported");
    }

    public static ManagementException notFound(String message, String errorCode) {
        return new ManagementException(404, message, errorCode);
    }

    public static ManagementException conflict(String message, String errorCode) {
        return new ManagementException(409, message, errorCode);
    }

    public int statusCode() {
        return statusCode;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The HTTP reason phrase Auth0 puts in {@code error}. */
    public String error() {
        return switch (statusCode) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
