package dev.ckpt.pickle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 with CPython's {@code surrogatepass} error handler, which pickle uses for str: a lone
 * surrogate (legal in a Python str and a Java String alike) is encoded as its own 3-byte
 * sequence instead of failing. The JDK codec would replace it, losing data.
 */
final class SurrogatePassUtf8 {
    private SurrogatePassUtf8() {
    }

    static byte[] encode(String s) {
        byte[] standard = s.getBytes(StandardCharsets.UTF_8);
        if (standard.length == s.length() ? !replacedAnything(s, standard) : !hasLoneSurrogate(s)) {
            return standard;
        }
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xc0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xf0 | cp >> 18);
                out[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
                out[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | cp & 0x3f);
            } else {
                out[n++] = (byte) (0xe0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * With one byte per char, every char is ASCII or a lone surrogate that the JDK replaced by
     * '?', and positions correspond: a '?' byte where the string has no '?' is a replacement.
     */
    private static boolean replacedAnything(String s, byte[] encoded) {
        for (int i = 0; i < encoded.length; i++) {
            if (encoded[i] == '?' && s.charAt(i) != '?') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Decodes strictly, except that encoded surrogates pass; returns null on malformed input. */
    static String decode(byte[] b, int off, int len) {
        if (len == 0) {
            return ""; // one empty str, as in CPython (and as the text opcodes already give)
        }
        int end = off + len;
        int i = off;
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(len);
        sb.append(new String(b, off, i - off, StandardCharsets.ISO_8859_1));
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1; cp = c & 0x1f; min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2; cp = c & 0x0f; min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3; cp = c & 0x07; min = 0x10000;
            } else {
                return null;
            }
            if (i + need >= end) {
                return null;
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return null;
                }
                cp = cp << 6 | cc & 0x3f;
            }
            if (cp < min || cp > 0x10ffff) {
                return null;
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }
}
