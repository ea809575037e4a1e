package dev.latchkey.server.management;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the Management API operation a request names. Javalin sees one route per method under
 * {@code /api/v2/}; the path is then matched here segment by segment against the operations' templates
 * ({@code /clients/{id}}). Javalin tries every route of a method with a regular expression, and gives every
 * request the whole list: with the Management API's hundred routes in it, that matching cost a token request
 * and a Management API read about a tenth of their CPU.
 * <p>Rules:
 * <ul>
 *   <li>A template's literal segments match exactly; a {@code {name}} segment matches any one non-empty
 *       segment, percent-decoded as Javalin decodes path parameters ({@code +} stays {@code +}).</li>
 *   <li>Where two templates match, the one with the literal segment earlier wins ({@code /keys/signing/rotate}
 *       before {@code /keys/signing/{kid}}), then the one declared first.</li>
 *   <li>A trailing slash is ignored, as Javalin ignores it.</li>
 *   <li>No template: 404; a template for another method only: 405 (RFC 9110 §15.5.6), both in the Management
 *       API's error shape.</li>
 * </ul>
 */
final class ManagementRouter {

    private static final String PARAMS = "latchkey.management.params";
    private static final String TEMPLATE = "latchkey.management.template";

    private record Route(String template, String[] segments, Handler handler) {

        /** The path parameters, or null when {@code parts} is not this route's. */
        Map<String, String> match(String[] parts) {
            if (parts.length != segments.length) {
                return null;
            }
            Map<String, String> params = null;
            for (int i = 0; i < parts.length; i++) {
                String segment = segments[i];
                if (isParameter(segment)) {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new HashMap<>(4);
                    }
                    params.put(segment.substring(1, segment.length() - 1), parts[i]);
                } else if (!segment.equals(parts[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }

        /** Higher is more specific: the position of the first parameter segment (none: the segment count). */
        int firstParameter() {
            for (int i = 0; i < segments.length; i++) {
                if (isParameter(segments[i])) {
                    return i;
                }
            }
            return segments.length;
        }
    }

    /** Replaced, never changed, by {@link #add}: requests read it without a lock. */
    private volatile Map<HandlerType, List<Route>> routes = Map.of();
    private final String prefix;

    ManagementRouter(String prefix) {
        this.prefix = prefix;
    }

    /** Declares {@code template} (under the prefix) for {@code method}; before the server starts. */
    synchronized void add(HandlerType method, String template, Handler handler) {
        Map<HandlerType, List<Route>> next = new HashMap<>(routes);
        List<Route> list = new ArrayList<>(next.getOrDefault(method, List.of()));
        Route route = new Route(template, split(template), handler);
        int at = list.size();
        while (at > 0 && list.get(at - 1).firstParameter() < route.firstParameter()) {
            at--;
        }
        list.add(at, route);
        next.put(method, List.copyOf(list));
        routes = next;
    }

    /** Runs the operation {@code ctx}'s method and path name, or answers 404 or 405. */
    void dispatch(Context ctx) throws Exception {
        String path = ctx.path();
        String[] parts = split(path.length() > prefix.length() ? path.substring(prefix.length()) : "");
        for (Route route : routesOf(ctx.method())) {
            Map<String, String> params = route.match(parts);
            if (params != null) {
                ctx.attribute(PARAMS, params);
                ctx.attribute(TEMPLATE, prefix + route.template());
                route.handler().handle(ctx);
                return;
            }
        }
        for (HandlerType other : routes.keySet()) {
            if (!other.equals(ctx.method()) && routesOf(other).stream().anyMatch(r -> r.match(parts) != null)) {
                throw new MethodNotAllowedResponse();
            }
        }
        throw new NotFoundResponse();
    }

    /** The decoded value of path parameter {@code name} of the operation running. */
    static String pathParam(Context ctx, String name) {
        Map<String, String> params = ctx.attribute(PARAMS);
        String raw = params == null ? null : params.get(name);
        if (raw == null) {
            throw new IllegalStateException("The route has no path parameter " + name);
        }
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A broken escape can name nothing stored.
            throw new NotFoundResponse();
        }
    }

    /** The template of the operation running ({@code /clients/{id}}), under the prefix. */
    static String template(Context ctx) {
        String template = ctx.attribute(TEMPLATE);
        return template == null ? ctx.path() : template;
    }

    private List<Route> routesOf(HandlerType method) {
        return routes.getOrDefault(method, List.of());
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    private static String[] split(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.endsWith("/") && path.length() > start ? path.length() - 1 : path.length();
        return start >= end ? new String[0] : path.substring(start, end).split("/", -1);
    }
}
