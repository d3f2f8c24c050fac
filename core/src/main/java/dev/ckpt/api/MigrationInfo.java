package dev.ckpt.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The metadata every migration carries, recorded in each checkpoint it runs on. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MigrationInfo {
    /** Replaced by the project's version when the migration is applied from an unreleased build. */
    String NEXT_VERSION = "%NEXT_VERSION%";

    /** The application version that introduced the migration, or {@link #NEXT_VERSION}. */
    String version();

    /** Version of the migration record format. */
    String format() default "1.0.0";
}
