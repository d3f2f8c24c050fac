package dev.ckpt.inspect;

import java.util.regex.Pattern;

/**
 * A glob over paths: {@code *} matches any characters (dots included), {@code ?} one, everything
 * else itself. A path matches when its readable text or its unquoted dotted form does, so
 * {@code state_dict.*encoder*} selects {@code state_dict["model.encoder.weight"]}.
 */
public final class PathGlob {
    private static final PathGlob ANY = new PathGlob(null);

    private final Pattern pattern;

    private PathGlob(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Every path. */
    public static PathGlob any() {
        return ANY;
    }

    /** The glob, or {@link #any()} for null or blank. */
    public static PathGlob of(String glob) {
        if (glob == null || glob.isBlank()) {
            return ANY;
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.strip().toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new PathGlob(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matchesEverything() {
        return pattern == null;
    }

    public boolean matches(ReadablePath path) {
        return pattern == null || pattern.matcher(path.text()).matches() || pattern.matcher(path.dotted()).matches();
    }
}
