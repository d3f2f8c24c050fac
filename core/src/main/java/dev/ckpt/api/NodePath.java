package dev.ckpt.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a node path: keys separated by dots; {@code [3]} an index; {@code ["a.b"]} or
 * {@code ['a.b']} a key quoted because it holds dots or brackets (a backslash escapes the quote
 * or itself), e.g. {@code callbacks["ModelCheckpoint{'monitor': 'val_loss'}"].best_model_path}.
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

    /** A key written so that {@link #steps} reads it back as one step. */
    static String quote(String key) {
        if (!key.isEmpty() && key.chars().noneMatch(c -> c == '.' || c == '[' || c == ']' || c == '"' || c == '\\')) {
            return key;
        }
        return "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
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
                c = path.charAt(at++);
            }
            key.append(c);
        }
        throw malformed("a quoted key is not closed");
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
