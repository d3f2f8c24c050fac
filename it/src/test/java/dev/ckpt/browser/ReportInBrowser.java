package dev.ckpt.browser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The checkpoints report as chromium shows it, for the invoker build that makes it: the rows of the
 * status table read from the DOM chromium dumps, and the screenshot read back as an image.
 */
public final class ReportInBrowser {
    private ReportInBrowser() {
    }

    /** The DOM chromium built of {@code page} (no script element allowed: the report has none, and no key may become one). */
    public static Document dom(Path page) throws IOException, InterruptedException {
        Document dom = Jsoup.parse(HeadlessChromium.find().dumpDom(page));
        if (!dom.select("script").isEmpty()) {
            throw new AssertionError("the report has a script element: " + dom.select("script"));
        }
        return dom;
    }

    /** file -> the status its row shows, in the table's order. */
    public static Map<String, String> statuses(Document dom) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (Element row : dom.select("table#checkpoints > tbody > tr")) {
            if (rows.put(row.attr("data-file"), row.selectFirst("span.status").text()) != null) {
                throw new AssertionError("two rows for " + row.attr("data-file"));
            }
        }
        return rows;
    }

    /** The DOM's text of the cells of {@code file}'s row. */
    public static List<String> cells(Document dom, String file) {
        Element row = dom.select("table#checkpoints > tbody > tr").stream().filter(r -> r.attr("data-file").equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + file));
        return row.select("td").stream().map(Element::text).toList();
    }

    /**
     * Takes a {@code width} x {@code height} screenshot of {@code page} to {@code png} and checks it is
     * a real picture of that size with more than a few colours (a blank or failed page has one or two).
     */
    public static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        HeadlessChromium.find().screenshot(page, png, width, height);
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new AssertionError(png + " is not an image ImageIO can read");
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new AssertionError(png + " is " + image.getWidth() + "x" + image.getHeight() + ", not " + width + "x" + height);
        }
        Set<Integer> colours = new TreeSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        if (colours.size() < 16) {
            throw new AssertionError(png + " looks blank: " + colours.size() + " colours");
        }
    }
}
