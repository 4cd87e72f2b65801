package io.vpccni.cni.json;

/**
 * Malformed JSON. Syntax errors carry a 1-based line and column and a 0-based char offset; other
 * errors (an ambiguous key) carry -1.
 */
public final class JsonException extends RuntimeException {
    private final int line;
    private final int column;
    private final int offset;

    public JsonException(String message) {
        this(message, -1, -1, -1);
    }

    private JsonException(String message, int line, int column, int offset) {
        super(message);
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    /** "{@code problem} at line L, column C (offset O){@code suffix}"; position is only computed on failure. */
    static JsonException at(String text, int offset, String problem, String suffix) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = offset - lineStart + 1; // counted in UTF-16 chars
        return new JsonException(problem + " at line " + line + ", column " + column + " (offset " + offset + ")"
                + suffix, line, column, offset);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public int offset() {
        return offset;
    }
}
