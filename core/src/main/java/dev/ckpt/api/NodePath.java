package dev.ckpt.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a node path: keys separated by dots; {@code [3]} an index; {@code ["a.b"]} or
 * {@code ['a.b']} a key quoted because it holds dots or brackets (a backslash escapes the quote
 * or itself; {@code \n}, {@code \r}, {@code \t} and &#92;u001b stand for control characters),
 * e.g. {@code callbacks["ModelCheckpoint{'monitor': 'val_loss'}"].best_model_path}.
 */
final class NodePath {
    private final String path;
    private final List<String> steps = new ArrayList<>();
    private int at;

    private NodePath(String path) {
        this.path = path;
    }

    static List<String> steps(String path) {
        NodePath parser = new NodePath(path);
        parser.parse();
        return parser.steps;
    }

    /**
     * A key written so that {@link #steps} reads it back as one step. A key with a control
     * character (below U+0020, U+007F to U+009F) is quoted too, those characters written as
     * {@code \n}, {@code \r}, {@code \t} or &#92;u001b, so that a path never moves a
     * terminal's cursor or starts a line of a log.
     */
    static String quote(String key) {
        if (!key.isEmpty() && key.chars().noneMatch(c -> c == '.' || c == '[' || c == ']' || c == '"' || c == '\\' || isControl(c))) {
            return key;
        }
        StringBuilder quoted = new StringBuilder("[\"");
        key.chars().forEach(c -> quoted.append(escaped((char) c)));
        return quoted.append("\"]").toString();
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }

    private static String escaped(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> isControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        };
    }

    private void parse() {
        if (path.isEmpty()) {
            return;
        }
        boolean expectKey = true;
        while (at < path.length()) {
            char c = path.charAt(at);
            if (c == '[') {
                steps.add(bracket());
                expectKey = false;
            } else if (c == '.' && !expectKey) {
                at++;
                expectKey = true;
                if (at == path.length()) {
                    throw malformed("it ends with a dot");
                }
            } else if (expectKey) {
                steps.add(plainKey());
                expectKey = false;
            } else {
                throw malformed("expected '.' or '[' at position " + at);
            }
        }
    }

    private String plainKey() {
        int start = at;
        while (at < path.length() && path.charAt(at) != '.' && path.charAt(at) != '[') {
            if (path.charAt(at) == ']') {
                throw malformed("']' at position " + at + " closes no '['");
            }
            at++;
        }
        if (at == start) {
            throw malformed("empty key at position " + start);
        }
        return path.substring(start, at);
    }

    private String bracket() {
        int open = at++;
        if (at < path.length() && (path.charAt(at) == '"' || path.charAt(at) == '\'')) {
            String key = quoted(path.charAt(at++));
            expect(']', open);
            return key;
        }
        int start = at;
        while (at < path.length() && Character.isDigit(path.charAt(at))) {
            at++;
        }
        if (at == start) {
            throw malformed("'[' at position " + open + " holds neither an index nor a quoted key");
        }
        String index = path.substring(start, at);
        expect(']', open);
        return index;
    }

    private String quoted(char quote) {
        StringBuilder key = new StringBuilder();
        while (at < path.length()) {
            char c = path.charAt(at++);
            if (c == quote) {
                return key.toString();
            }
            if (c == '\\' && at < path.length()) {
                c = unescaped(path.charAt(at++));
            }
            key.append(c);
        }
        throw malformed("a quoted key is not closed");
    }

    /** The character a backslash and {@code c} stand for: a control character for n, r, t and u, else c itself. */
    private char unescaped(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicode();
            default -> c;
        };
    }

    private char unicode() {
        int start = at;
        if (start + 4 > path.length() || !path.substring(start, start + 4).chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
            throw malformed("'\\u' at position " + (start - 2) + " is not followed by four hex digits");
        }
        at += 4;
        return (char) Integer.parseInt(path.substring(start, start + 4), 16);
    }

    private void expect(char c, int open) {
        if (at >= path.length() || path.charAt(at) != c) {
            throw malformed("'[' at position " + open + " is not closed by '" + c + "'");
        }
        at++;
    }

    private IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("malformed path '" + path + "': " + why);
    }
}
