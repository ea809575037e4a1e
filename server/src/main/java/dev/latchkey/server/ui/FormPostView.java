package dev.latchkey.server.ui;

import java.util.Locale;
import java.util.Map;

/**
 * An authorization response sent by an auto-submitting form (OAuth 2.0 Form Post Response Mode §2).
 * The form's action is only ever an http or https URL: anything else (javascript:, data:, an app's
 * own scheme) is refused here, before the page is written.
 */
public record FormPostView(String action, Map<String, String> params) {

    public FormPostView {
        if (!postable(action)) {
            throw new IllegalArgumentException("A form_post response goes only to an http(s) URL");
        }
    }

    /** True when {@code url} can be a form_post action: http or https. */
    public static boolean postable(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }
}
