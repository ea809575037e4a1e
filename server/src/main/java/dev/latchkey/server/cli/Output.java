package dev.latchkey.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's results go: readable lines and tables by default, the server's JSON with
 * {@code --json}. Results go to standard output; notes and errors to standard error, so that the
 * output of a command can be captured on its own.
 */
final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Whether the caller asked for JSON rather than readable text. */
    boolean json() {
        return json;
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A note for the person at the terminal, kept out of captured output. */
    void note(String text) {
        err.println(text);
        err.flush();
    }

    void error(String message) {
        err.println("latchkey: " + message);
        err.flush();
    }

    void printJson(JsonNode node) {
        line(pretty(node));
    }

    /** Reports a deletion: {@code {"<idField>": id, "deleted": true}} or "Deleted <what> <id>." */
    void deleted(String what, String idField, String id) {
        if (json) {
            printJson(Json.object().put(idField, id).put("deleted", true));
        } else {
            line("Deleted " + what + " " + id + ".");
        }
    }

    /** {@code label: value} lines with the values aligned. */
    void fields(List<String[]> labelled) {
        int width = labelled.stream().mapToInt(pair -> pair[0].length()).max().orElse(0) + 2;
        for (String[] pair : labelled) {
            line("  " + pad(pair[0] + ":", width) + pair[1]);
        }
    }

    /** A table with a header row; columns as wide as their widest cell. */
    void table(List<String> headers, List<List<String>> rows) {
        if (rows.isEmpty()) {
            line("(none)");
            return;
        }
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                text.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            line(text.toString().stripTrailing());
        }
    }

    /** The values of a JSON array as space-separated words, as OAuth writes scopes. */
    static String words(JsonNode array) {
        List<String> words = new ArrayList<>();
        array.forEach(value -> words.add(value.asText()));
        return String.join(" ", words);
    }

    /** As {@link #words}, cut to about {@code maxLength} characters with the count of values. */
    static String words(JsonNode array, int maxLength) {
        String text = words(array);
        return text.length() <= maxLength ? text
                : text.substring(0, text.lastIndexOf(' ', maxLength) + 1) + "... (" + array.size() + " in all)";
    }

    static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot print JSON", e);
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
