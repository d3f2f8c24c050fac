package dev.ckpt.pickle;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The text arguments of protocol 0 opcodes, parsed as CPython's unpickler parses them. Each
 * method throws {@link IllegalArgumentException} with a message for bad text.
 */
final class TextArguments {
    private TextArguments() {
    }

    /** A decimal integer as {@code int()} reads it (INT, LONG, GET, PUT), with an optional trailing L. */
    static Object integer(String text, int maxDigits) {
        String s = text.strip();
        if (s.endsWith("L")) {
            s = s.substring(0, s.length() - 1);
        }
        String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a decimal integer: '" + abbreviate(text) + "'");
        }
        if (digits.length() > maxDigits) {
            throw new IllegalArgumentException("integer of " + digits.length() + " digits exceeds the limit of " + maxDigits);
        }
        return Numbers.normalize(new BigInteger(s));
    }

    /** A float as Python's {@code float()} reads it (FLOAT). */
    static double floating(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (!unsigned.matches("(\\d[\\d_]*)?(\\.(\\d[\\d_]*)?)?(e[+-]?\\d+)?") || unsigned.isEmpty() || unsigned.equals(".")) {
            throw new IllegalArgumentException("not a float: '" + abbreviate(text) + "'");
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /**
     * The body of a Python 2 str repr (STRING): quoted with ' or ", backslash escapes decoded as
     * {@code codecs.escape_decode} does.
     */
    static byte[] quotedString(byte[] line) {
        int n = line.length;
        if (n < 2 || line[0] != line[n - 1] || line[0] != '\'' && line[0] != '"') {
            throw new IllegalArgumentException("the STRING opcode argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        for (int i = 1; i < n - 1; i++) {
            byte b = line[i];
            if (b != '\\') {
                out.write(b);
                continue;
            }
            if (++i >= n - 1) {
                throw new IllegalArgumentException("trailing \\ in string");
            }
            byte e = line[i];
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> out.write(e);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    if (i + 2 >= n - 1 || hex(line[i + 1]) < 0 || hex(line[i + 2]) < 0) {
                        throw new IllegalArgumentException("invalid \\x escape in string");
                    }
                    out.write(hex(line[i + 1]) << 4 | hex(line[i + 2]));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < n - 1 && line[i + 1] >= '0' && line[i + 1] <= '7'; k++) {
                            v = v * 8 + line[++i] - '0';
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** {@code raw-unicode-escape} (UNICODE): Latin-1 bytes where \\uXXXX and \\UXXXXXXXX are escapes. */
    static String rawUnicodeEscape(byte[] line) {
        StringBuilder sb = new StringBuilder(line.length);
        int i = 0;
        while (i < line.length) {
            int b = line[i] & 0xff;
            if (b == '\\' && i + 1 < line.length && (line[i + 1] == 'u' || line[i + 1] == 'U') && oddBackslashRun(line, i)) {
                int digits = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > line.length) {
                    throw new IllegalArgumentException("truncated \\u escape in unicode string");
                }
                int cp = 0;
                for (int k = 0; k < digits; k++) {
                    int h = hex(line[i + 2 + k]);
                    if (h < 0) {
                        throw new IllegalArgumentException("invalid \\u escape in unicode string");
                    }
                    cp = cp << 4 | h;
                }
                if (cp < 0 || cp > 0x10ffff) {
                    throw new IllegalArgumentException("\\U escape out of range");
                }
                sb.appendCodePoint(cp);
                i += 2 + digits;
            } else {
                sb.append((char) b);
                i++;
            }
        }
        return sb.toString();
    }

    /** Encodes as CPython's protocol 0 str: raw-unicode-escape after escaping \\ \0 \n \r \x1a. */
    static byte[] rawUnicodeEscapeForPickle(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == 0 || c == '\n' || c == '\r' || c == 0x1a) {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
            } else if (c < 0x100) {
                out.write(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(String.format("\\U%08x", Character.toCodePoint(c, s.charAt(++i))).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    private static boolean oddBackslashRun(byte[] line, int lastBackslash) {
        int count = 0;
        for (int j = lastBackslash; j >= 0 && line[j] == '\\'; j--) {
            count++;
        }
        return count % 2 == 1;
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
