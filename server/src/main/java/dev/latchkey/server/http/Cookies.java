package dev.latchkey.server.http;

import io.javalin.http.Context;

/**
 * Writes the server's cookies: always {@code HttpOnly} and {@code SameSite=Lax}, {@code Secure}
 * whenever the request came over HTTPS (RFC 6265bis §4.1.2).
 */
public final class Cookies {

    private final RequestOrigin origin;

    public Cookies(RequestOrigin origin) {
        this.origin = origin;
    }

    public void set(Context ctx, String name, String value, String path, long maxAgeSeconds) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value)
                .append("; Path=").append(path)
                .append("; Max-Age=").append(maxAgeSeconds)
                .append("; HttpOnly; SameSite=Lax");
        if (origin.secure(ctx)) {
            cookie.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", cookie.toString());
    }

    public void clear(Context ctx, String name, String path) {
        set(ctx, name, "", path, 0);
    }

    public static String read(Context ctx, String name) {
        return ctx.cookie(name);
    }
}
