package dev.ckpt.template;

import dev.ckpt.engine.MigrationName;
import java.io.StringWriter;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/**
 * The source of a new migration class, rendered from the Velocity template
 * {@code dev/ckpt/template/migration.java.vm}: the one skeleton the plugin's {@code create} goal
 * and the archetype both use.
 */
public final class MigrationSkeleton {
    static final String TEMPLATE = "dev/ckpt/template/migration.java.vm";

    /** The variants {@code create} offers. */
    public record Options(boolean isFinal, boolean withSetup, boolean noRollback) {
        public Options {
            if (isFinal && withSetup) {
                throw new IllegalArgumentException("a final migration cannot have a setup (as in the reference): drop -DwithSetup or -Dfinal");
            }
        }
    }

    private MigrationSkeleton() {
    }

    public static String render(String packageName, MigrationName name, Options options) {
        return render(packageName, name, options, MigrationBody.NONE);
    }

    /** The skeleton with generated statements in its methods (a setup is added when the body has one). */
    public static String render(String packageName, MigrationName name, Options options, MigrationBody body) {
        VelocityContext context = new VelocityContext();
        context.put("package", packageName);
        context.put("className", name.className());
        context.put("description", describe(name));
        context.put("final", options.isFinal());
        context.put("withSetup", options.withSetup() || !body.setup().isEmpty());
        context.put("body", body);
        context.put("noRollback", options.noRollback() || options.isFinal());
        StringWriter out = new StringWriter();
        Template template = engine().getTemplate(TEMPLATE, "UTF-8");
        template.merge(context, out);
        return out.toString();
    }

    /** {@code 1750840837_rename_layer} reads as "Rename layer". */
    private static String describe(MigrationName name) {
        String words = name.description().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static VelocityEngine engine() {
        Properties properties = new Properties();
        properties.setProperty(RuntimeConstants.RESOURCE_LOADERS, "classpath");
        properties.setProperty("resource.loader.classpath.class", ClasspathResourceLoader.class.getName());
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        return engine;
    }
}
