package dev.latchkey.server.upstream;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The email of a GitHub user, from {@code GET /user/emails} (a list of {@code {email, primary, verified}}).
 * <p>Rules:
 * <ul>
 *   <li>The primary email that GitHub says is verified wins, verified.</li>
 *   <li>Else the email {@code /user} gave, verified only when the list says so; else the primary one (or the
 *       first), unverified. An email GitHub does not call verified never passes for verified (no linking, no
 *       trust).</li>
 *   <li>Only the first {@value #MAX_EMAILS} entries are read.</li>
 * </ul>
 */
final class GitHubEmails {

    static final int MAX_EMAILS = 100;

    /** An email and whether the provider said it is verified. */
    record Email(String address, boolean verified) {
    }

    private GitHubEmails() {
    }

    /** The user's email from the list, given what {@code /user} said ({@code profileEmail}, may be null). */
    static Optional<Email> choose(List<?> emails, String profileEmail) {
        List<Map<?, ?>> entries = emails.stream().limit(MAX_EMAILS)
                .filter(entry -> entry instanceof Map<?, ?> map && map.get("email") instanceof String)
                .<Map<?, ?>>map(entry -> (Map<?, ?>) entry).toList();
        Optional<Email> primaryVerified = entries.stream()
                .filter(e -> Boolean.TRUE.equals(e.get("primary")) && Boolean.TRUE.equals(e.get("verified")))
                .map(e -> new Email((String) e.get("email"), true)).findFirst();
        if (primaryVerified.isPresent()) {
            return primaryVerified;
        }
        if (profileEmail != null) {
            return Optional.of(new Email(profileEmail, entries.stream().anyMatch(e ->
                    profileEmail.equalsIgnoreCase((String) e.get("email")) && Boolean.TRUE.equals(e.get("verified")))));
        }
        return entries.stream().filter(e -> Boolean.TRUE.equals(e.get("primary"))).findFirst()
                .or(() -> entries.stream().findFirst())
                .map(e -> new Email((String) e.get("email"), false));
    }
}
