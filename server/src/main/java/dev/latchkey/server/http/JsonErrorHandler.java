package dev.latchkey.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before any route runs (a malformed URI, headers too large): the
 * same JSON shape and security headers as everywhere else, never Jetty's HTML page or a stack trace,
 * and never stored by a cache.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField NO_STORE = new HttpField(HttpHeader.CACHE_CONTROL, "no-store");

    JsonErrorHandler() {
        setShowStacks(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        headers(response.getHeaders());
        // Jetty answers here for what never reached a route (a malformed URI among them) and then
        // closes: say so (RFC 9112 §9.6), or a client that pools connections sends its next request
        // into the closed one and gets no answer.
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        headers(fields);
        // Jetty closes the connection after a bad message, as above.
        fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        return ByteBuffer.wrap(body(status));
    }

    private static void headers(HttpFields.Mutable fields) {
        fields.put(JSON);
        fields.put(NO_STORE);
        SecurityHeaders.EVERY_RESPONSE.forEach(fields::put);
    }

    private static byte[] body(int code) {
        String error = code >= 500 ? "server_error" : "invalid_request";
        String description = code == 431 ? "The request headers are too large"
                : code == 414 ? "The request URI is too long"
                : code == 400 ? "The request is malformed (check the URI's percent-encoding)"
                : "The request could not be handled: " + HttpStatus.getMessage(code);
        try {
            return Json.MAPPER.writeValueAsBytes(Json.object().put("error", error).put("error_description", description));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
