package dev.ckpt.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sizes in decimal units, as Maven prints transfers. */
class SizesTest {
    @Test
    void bytesBelowAThousandThenOneDecimalPerUnit() {
        assertEquals("999 B", Sizes.human(999));
        assertEquals("1.0 kB", Sizes.human(1000));
        assertEquals("1.2 MB", Sizes.human(1_234_567));
        assertEquals("1.0 GB", Sizes.human(999_999_999));
        assertEquals("5.0 TB", Sizes.human(5_000_000_000_000L));
    }
}
