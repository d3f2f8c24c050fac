package dev.ckpt.inspect;

import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Plain values (maps, lists, strings, numbers, booleans, None, bytes) as block YAML that
 * {@code yaml.safe_load} reads back to the same values: strings quoted unless they are plain
 * words YAML 1.1 cannot take for something else, floats always with a dot and a signed exponent
 * ({@code 1.0e+10}, {@code .nan}, {@code -.inf}), bytes as {@code !!binary}.
 */
final class YamlText {
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern YAML11_WORDS = Pattern.compile(
            "(?i)y|n|yes|no|on|off|true|false|null|nan|inf");

    private final StringBuilder out = new StringBuilder();

    private YamlText() {
    }

    /** The YAML of {@code value}, each line starting with {@code indent} spaces. */
    static String of(Object value, int indent) {
        YamlText yaml = new YamlText();
        if (isBlock(value)) {
            yaml.block(value, indent);
        } else {
            yaml.out.append(" ".repeat(indent)).append(scalar(value)).append('\n');
        }
        return yaml.out.toString();
    }

    private void block(Object value, int indent) {
        String pad = " ".repeat(indent);
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> {
                out.append(pad).append(scalar(key)).append(':');
                nested(child, indent + 2);
            });
        } else {
            for (Object item : (List<?>) value) {
                out.append(pad).append('-');
                nested(item, indent + 2);
            }
        }
    }

    private void nested(Object value, int indent) {
        if (isBlock(value)) {
            out.append('\n');
            block(value, indent);
        } else {
            out.append(' ').append(scalar(value)).append('\n');
        }
    }

    private static boolean isBlock(Object value) {
        return value instanceof Map<?, ?> map && !map.isEmpty() || value instanceof List<?> list && !list.isEmpty();
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "{}";
        }
        if (value instanceof List) {
            return "[]";
        }
        if (value instanceof Boolean || value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            return floating(((Number) value).doubleValue());
        }
        if (value instanceof byte[] bytes) {
            return "!!binary \"" + Base64.getEncoder().encodeToString(bytes) + "\"";
        }
        String text = String.valueOf(value);
        return PLAIN_WORD.matcher(text).matches() && !YAML11_WORDS.matcher(text).matches() ? text : quoted(text);
    }

    private static String floating(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        String text = Double.toString(value);  // always has a dot: 1.0, 1.0E10, 1.0E-5
        int e = text.indexOf('E');
        return e < 0 || text.charAt(e + 1) == '-' ? text : text.substring(0, e + 1) + "+" + text.substring(e + 1);
    }

    /** A double-quoted scalar; anything YAML may not hold raw is a {@code \\uXXXX} escape. */
    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' || c == '\ufeff' || c >= 0xfffe
                    || Character.isSurrogate(c) && !isPair(text, i)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                quoted.append(c).append(text.charAt(++i));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean isPair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
