package dev.latchkey.server.store;

/** SQL LIKE patterns from user input, with the wildcards escaped (used with {@code ESCAPE '\'}). */
final class LikePatterns {
    private LikePatterns() {
    }

    static String containing(String value) {
        return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
