package dev.ckpt.archetype;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ckpt.engine.MigrationName;
import dev.ckpt.template.MigrationSkeleton;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One source of truth: the archetype's initial migration, generated with either value of
 * {@code finalMigration}, is exactly what the plugin's {@code create} renders from core's skeleton
 * ({@link MigrationSkeleton}) for the same package and name. Change the skeleton and this fails
 * until the archetype's template is changed with it. (The archetype integration tests in the
 * {@code it} module compare a really generated project's migration the same way.)
 */
class InitialMigrationTest {
    static final Path TEMPLATE = Path.of("src/main/resources/archetype-resources/src/main/java/migrations/M1700000000_initial.java");

    @ParameterizedTest
    @CsvSource({"com.example.model, false", "com.example.model, true", "org.acme.vision.detector, false", "org.acme.vision.detector, true"})
    void theInitialMigrationIsTheSkeletonCreateRenders(String pkg, boolean finalMigration) throws IOException {
        String generated = generate(pkg, finalMigration);

        String skeleton = MigrationSkeleton.render(pkg + ".migrations", MigrationName.ofClassName("M1700000000_initial"),
                new MigrationSkeleton.Options(finalMigration, false, false));

        assertEquals(skeleton, generated);
    }

    /** The template rendered as archetype:generate does: Velocity, with the archetype's properties. */
    static String generate(String pkg, boolean finalMigration) throws IOException {
        Properties properties = new Properties();
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        VelocityEngine engine = new VelocityEngine(properties);
        engine.init();
        VelocityContext context = new VelocityContext();
        context.put("package", pkg);
        context.put("groupId", pkg);
        context.put("artifactId", "demo");
        context.put("version", "1.0-SNAPSHOT");
        context.put("finalMigration", Boolean.toString(finalMigration));
        StringWriter out = new StringWriter();
        engine.evaluate(context, out, TEMPLATE.toString(), Files.readString(TEMPLATE, StandardCharsets.UTF_8));
        return out.toString();
    }
}
