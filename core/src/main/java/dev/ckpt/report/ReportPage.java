package dev.ckpt.report;

import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.implement.EscapeHtmlReference;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/**
 * A {@link DirectoryReport} as one self-contained HTML page, rendered from the Velocity template
 * {@code dev/ckpt/report/report.html.vm}: styles inline, the charts inline SVG, no script, no
 * link to anything outside the page (its Content-Security-Policy forbids loading any). Every value
 * the template inserts is HTML-escaped, since keys and names come from whoever wrote the checkpoint.
 */
public final class ReportPage {
    static final String TEMPLATE = "dev/ckpt/report/report.html.vm";
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ReportPage() {
    }

    public static String render(DirectoryReport report) {
        VelocityContext context = new VelocityContext();
        context.put("report", report);
        context.put("generated", GENERATED.format(report.generated()));
        StringWriter out = new StringWriter();
        Template template = engine().getTemplate(TEMPLATE, "UTF-8");
        template.merge(context, out);
        return out.toString();
    }

    private static VelocityEngine engine() {
        Properties properties = new Properties();
        properties.setProperty(RuntimeConstants.RESOURCE_LOADERS, "classpath");
        properties.setProperty("resource.loader.classpath.class", ClasspathResourceLoader.class.getName());
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        // Escapes every inserted reference: nothing from a checkpoint reaches the page as markup.
        properties.setProperty(RuntimeConstants.EVENTHANDLER_REFERENCEINSERTION, EscapeHtmlReference.class.getName());
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        return engine;
    }
}
