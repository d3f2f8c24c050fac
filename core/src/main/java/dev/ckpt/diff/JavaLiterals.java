package dev.ckpt.diff;

/** Plain values as Java source. */
final class JavaLiterals {
    private JavaLiterals() {
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** True for a value {@link #of} can write. */
    static boolean writable(Object value) {
        return value == null || value instanceof String s && s.length() <= DiffMigration.MAX_LITERAL || value instanceof Long || value instanceof Boolean
                || value instanceof Double d && Double.isFinite(d);
    }

    static String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Long l) {
            return l + "L";
        }
        return String.valueOf(value);
    }
}
