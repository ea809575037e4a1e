package dev.latchkey.server.http;

import io.javalin.http.Context;
import jakarta.servlet.http.Cookie;

import java.util.Arrays;
import java.util.List;

/**
 * Writes and reads the server's cookies: always {@code HttpOnly} and {@code SameSite=Lax}, and
 * whenever the request came over HTTPS, {@code Secure} with the {@code __Host-} prefix, which makes
 * the browser refuse the cookie unless it is Secure, has {@code Path=/} and no {@code Domain}
 * (RFC 6265bis §4.1.3.2): a sibling subdomain or a plain-http page cannot plant one. Names are
 * given without the prefix; it is added, and a narrower path widened to {@code /}, as the request
 * demands. Over HTTPS only the prefixed name is read.
 */
public final class Cookies {

    static final String HOST_PREFIX = "__Host-";

    private final RequestOrigin origin;

    public Cookies(RequestOrigin origin) {
        this.origin = origin;
    }

    public void set(Context ctx, String name, String value, String path, long maxAgeSeconds) {
        boolean secure = origin.secure(ctx);
        StringBuilder cookie = new StringBuilder(secure ? HOST_PREFIX + name : name).append('=').append(value)
                .append("; Path=").append(secure ? "/" : path)
                .append("; Max-Age=").append(maxAgeSeconds)
                .append("; HttpOnly; SameSite=Lax");
        if (secure) {
            cookie.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", cookie.toString());
    }

    public void clear(Context ctx, String name, String path) {
        set(ctx, name, "", path, 0);
    }

    /** The value of the cookie {@code name} under the name this request uses, or null. */
    public String read(Context ctx, String name) {
        return ctx.cookie(nameFor(ctx, name));
    }

    /**
     * Every value the request carries for the cookie {@code name} under the name this request uses, in the
     * order sent: a browser sends one cookie per name, path and domain, so a name may come more than once.
     */
    public List<String> readAll(Context ctx, String name) {
        Cookie[] sent = ctx.req().getCookies();
        if (sent == null) {
            return List.of();
        }
        String wanted = nameFor(ctx, name);
        return Arrays.stream(sent).filter(c -> c.getName().equals(wanted)).map(Cookie::getValue).toList();
    }

    private String nameFor(Context ctx, String name) {
        return origin.secure(ctx) ? HOST_PREFIX + name : name;
    }
}
