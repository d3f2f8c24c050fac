package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Columns as wide as their widest cell: a long SNAPSHOT version or name never pushes a column out of line. */
class TextTableTest {
    @Test
    void everyColumnStartsAtTheSamePlaceOnEveryLine() {
        String table = new TextTable("MIGRATION", "VERSION", "STATUS", "NOTE")
                .row("1750000000_rename_encoder_and_everything_else_too", "1.4.0-SNAPSHOT", "applied", "")
                .row("1750000100_x", "1.0", "missing", "to run")
                .toString();

        assertEquals("""
                MIGRATION                                          VERSION         STATUS   NOTE
                1750000000_rename_encoder_and_everything_else_too  1.4.0-SNAPSHOT  applied
                1750000100_x                                       1.0             missing  to run
                """, table);
    }
}
