package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rules of DESIGN section 4, one per test. */
class RelocationTest {
    private static String relocate(Relocation relocation, String path) {
        PyGlobal ref = PyGlobal.parse(path);
        PyGlobal moved = relocation.relocate(ref.module(), ref.name());
        return (moved.isDeleted() ? "deleted:" : "") + moved.path();
    }

    @Test
    void moduleMoveCoversTheModuleAndItsSubmodulesOnly() {
        Relocation r = Relocation.builder().moveModule("shop.v1", "shop.core").build();
        assertEquals("shop.core.Order", relocate(r, "shop.v1.Order"));
        assertEquals("shop.core.models.Order", relocate(r, "shop.v1.models.Order"));
        assertEquals("shop.v10.Order", relocate(r, "shop.v10.Order"));
        assertEquals("shop.Order", relocate(r, "shop.Order"));
    }

    @Test
    void longestModuleRuleWins() {
        Relocation r = Relocation.builder().moveModule("a", "x").moveModule("a.b", "y").build();
        assertEquals("y.c.K", relocate(r, "a.b.c.K"));
        assertEquals("x.c.K", relocate(r, "a.c.K"));
    }

    @Test
    void attributeRuleBeatsModuleRuleWhateverTheOrder() {
        Relocation attributeFirst = Relocation.builder()
                .moveAttribute("shop.v1.models.Item", "shop.core.orders.LineItem")
                .moveModule("shop.v1.models", "shop.core.orders")
                .build();
        Relocation moduleFirst = Relocation.builder()
                .moveModule("shop.v1.models", "shop.core.orders")
                .moveAttribute("shop.v1.models.Item", "shop.core.orders.LineItem")
                .build();
        for (Relocation r : new Relocation[] {attributeFirst, moduleFirst}) {
            assertEquals("shop.core.orders.LineItem", relocate(r, "shop.v1.models.Item"));
            assertEquals("shop.core.orders.Order", relocate(r, "shop.v1.models.Order"));
        }
    }

    @Test
    void rulesOfOneStepActAtOnceSoTwoClassesCanTradeNames() {
        // The reference's PR 433 example: DataSchema moves out, NormalizerSchema takes its place.
        Relocation r = Relocation.builder()
                .moveAttribute("models.dp.DataSchema", "training.data.DataSchema")
                .moveAttribute("training.data.NormalizerSchema", "models.dp.DataSchema")
                .build();
        assertEquals("training.data.DataSchema", relocate(r, "models.dp.DataSchema"));
        assertEquals("models.dp.DataSchema", relocate(r, "training.data.NormalizerSchema"));
    }

    @Test
    void movesInLaterStepsCompose() {
        Relocation r = Relocation.builder()
                .moveModule("a", "b").nextStep()
                .moveModule("b", "c").nextStep()
                .moveAttribute("c.K", "d.L")
                .build();
        assertEquals("d.L", relocate(r, "a.K"));
        Relocation joined = Relocation.builder().moveModule("a", "b").build()
                .then(Relocation.builder().moveModule("b", "c").build());
        assertEquals("c.K", relocate(joined, "a.K"));
    }

    @Test
    void deletedModuleAndItsSubmodulesBecomePlaceholdersKeepingTheOriginalPath() {
        Relocation r = Relocation.builder().deleteModule("legacy").build();
        assertEquals("deleted:legacy.Thing", relocate(r, "legacy.Thing"));
        assertEquals("deleted:legacy.sub.Thing", relocate(r, "legacy.sub.Thing"));
        assertEquals("legacyx.Thing", relocate(r, "legacyx.Thing"));
    }

    @Test
    void wildcardDeletesEveryAttributeOfThatModuleButNotItsSubmodules() {
        Relocation r = Relocation.builder().deleteAttribute("pkg.mod.*").build();
        assertEquals("deleted:pkg.mod.A", relocate(r, "pkg.mod.A"));
        assertEquals("pkg.mod.sub.A", relocate(r, "pkg.mod.sub.A"));
    }

    @Test
    void deletionBeatsAModuleMoveOfTheSameModule() {
        Relocation r = Relocation.builder()
                .moveModule("pkg.mod", "pkg.new")
                .deleteAttribute("pkg.mod.Gone")
                .build();
        assertEquals("deleted:pkg.mod.Gone", relocate(r, "pkg.mod.Gone"));
        assertEquals("pkg.new.Kept", relocate(r, "pkg.mod.Kept"));
    }

    @Test
    void aPlaceholderIsNotMovedByLaterSteps() {
        Relocation r = Relocation.builder().deleteModule("a").nextStep().moveModule("a", "b").build();
        assertEquals("deleted:a.K", relocate(r, "a.K"));
    }

    @Test
    void reversedUndoesMovesInReverseOrderAndKeepsDeletionsUndone() {
        Relocation r = Relocation.builder()
                .moveModule("a", "b").deleteAttribute("x.Gone").nextStep()
                .moveAttribute("b.K", "c.L")
                .build();
        Relocation undo = r.reversed();
        assertEquals("a.K", relocate(undo, "c.L"));
        assertEquals("x.Gone", relocate(undo, "x.Gone"));
        assertEquals("c.L", relocate(r, "a.K"));
    }

    @Test
    void malformedPathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Relocation.builder().moveAttribute("NoModule", "a.B"));
        assertThrows(IllegalArgumentException.class, () -> Relocation.builder().moveModule("a..b", "c"));
        assertThrows(IllegalArgumentException.class, () -> Relocation.builder().moveModule("", "c"));
    }

    @Test
    void emptyRelocationChangesNothing() {
        assertTrue(Relocation.NONE.isEmpty());
        assertFalse(Relocation.builder().moveModule("a", "b").build().isEmpty());
        assertEquals("a.K", relocate(Relocation.NONE, "a.K"));
    }
}
