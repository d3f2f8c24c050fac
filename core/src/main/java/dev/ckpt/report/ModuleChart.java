package dev.ckpt.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of a horizontal bar chart of {@link ModuleSize}s, drawn as inline SVG by the page:
 * one bar per module, the largest {@link #MAX_BARS} - 1 and the rest summed in one last bar.
 *
 * @param bars   top to bottom
 * @param height of the whole chart, in pixels
 */
public record ModuleChart(List<Bar> bars, int height) {
    static final int MAX_BARS = 20;
    static final int ROW = 22;
    static final int BAR_X = 260;
    static final int BAR_MAX_WIDTH = 380;
    private static final int LABEL_CHARS = 34;

    /**
     * @param module  the full module name (the bar's tooltip)
     * @param label   the module name cut to fit beside the bar
     */
    public record Bar(String module, String label, long bytes, String size, int y, int width) {
        public int textY() {
            return y + 13;
        }

        public int sizeX() {
            return BAR_X + width + 6;
        }

        public int barX() {
            return BAR_X;
        }
    }

    public static ModuleChart of(List<ModuleSize> sizes) {
        List<ModuleSize> shown = new ArrayList<>(sizes);
        if (shown.size() > MAX_BARS) {
            List<ModuleSize> rest = shown.subList(MAX_BARS - 1, shown.size());
            ModuleSize others = new ModuleSize("(" + rest.size() + " more modules)", rest.stream().mapToLong(ModuleSize::bytes).sum());
            rest.clear();
            shown.add(others);
        }
        long max = shown.stream().mapToLong(ModuleSize::bytes).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (ModuleSize size : shown) {
            // at least one pixel, so a module of a few bytes still shows
            int width = max == 0 ? 1 : (int) Math.max(1, Math.round((double) size.bytes() / max * BAR_MAX_WIDTH));
            bars.add(new Bar(size.module(), cut(size.module()), size.bytes(), size.size(), 4 + bars.size() * ROW, width));
        }
        return new ModuleChart(bars, 8 + bars.size() * ROW);
    }

    private static String cut(String module) {
        return module.length() <= LABEL_CHARS ? module : module.substring(0, LABEL_CHARS - 1) + "…";
    }
}
