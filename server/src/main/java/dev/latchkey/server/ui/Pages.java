package dev.latchkey.server.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders the server's HTML pages from jte templates compiled at build time (no compiler at run
 * time). Pages are never cached, and each carries its {@link ContentSecurityPolicy}.
 */
public final class Pages {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, int status, String template, Object view) {
        render(ctx, status, template, view, ContentSecurityPolicy.PAGE);
    }

    /** As {@link #render(Context, int, String, Object)}, under another policy. */
    public void render(Context ctx, int status, String template, Object view, String contentSecurityPolicy) {
        StringOutput output = new StringOutput();
        engine.render(template, view, output);
        ctx.header("Content-Security-Policy", contentSecurityPolicy);
        ctx.header("Cache-Control", "no-store");
        ctx.status(status).contentType("text/html; charset=utf-8").result(output.toString());
    }

    public void error(Context ctx, int status, String title, String message, String detail) {
        render(ctx, status, "error.jte", new MessageView(title, message, detail));
    }

    public void message(Context ctx, String title, String message) {
        render(ctx, 200, "message.jte", new MessageView(title, message, null));
    }
}
