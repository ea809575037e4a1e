package dev.latchkey.server.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The style sheet and scripts the pages carry inline, read once from {@code ui/} on the class path. The
 * templates write {@link #text()} between their tags unchanged, and the Content-Security-Policy allows
 * exactly that text by its hash (CSP Level 3 §8.4, hash-source), so nothing injected into a page could run
 * or style it, and no extra request is needed.
 */
public record InlineAssets(String text, String hashSource) {

    public static final InlineAssets STYLE = load("page.css");
    /** Form Post Response Mode §2: the form submits itself. */
    public static final InlineAssets FORM_POST = load("form-post.js");
    /** Auth0's web_message: the response goes to the parent window. */
    public static final InlineAssets WEB_MESSAGE = load("web-message.js");

    private static InlineAssets load(String name) {
        try (InputStream in = InlineAssets.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("ui/" + name + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return new InlineAssets(text, "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
