package dev.latchkey.server.http;

/**
 * Input no name, id, token or parameter may hold: control characters (NUL among them, which
 * PostgreSQL cannot store at all). Refused at the edge, so such input is a 400 and never reaches a
 * lookup or the database.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** True when {@code value} holds a control character; line breaks and tabs pass where {@code multiLine}. */
    public static boolean in(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
                return true;
            }
        }
        return false;
    }
}
