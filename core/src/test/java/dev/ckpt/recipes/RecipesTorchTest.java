package dev.ckpt.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's recipes, each on a checkpoint real torch made of the old model after two Adam
 * steps: applied by the migrator, then loaded by torch (with {@code weights_only=True} under
 * torch 2) into the new model and Adam, compared bit for bit with what torch's own ops give, and
 * trained one more step; a reversible recipe is rolled back and must give the original
 * checkpoint's tensors, optimizer state and order. See recipes.py for each recipe's checks.
 */
@Tag("torch")
class RecipesTorchTest {
    private static final Path SCRIPT = Path.of("src/test/python/recipes/recipes.py").toAbsolutePath();
    private static final MigratorOptions OPTIONS = MigratorOptions.defaults("2.0.0").withBackup(false);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(classes = {M1767225600_rename_encoder.class, M1767225700_split_qkv.class, M1767225800_grow_vocabulary.class,
        M1767225900_cast_to_bfloat16.class, M1767226000_move_learning_rate.class, M1767226100_classifier_first.class})
    void recipeMigratesWhatTorchResumesFrom(Class<?> recipe) throws IOException {
        String name = recipe.getSimpleName().substring(recipe.getSimpleName().indexOf('_') + 1);
        Path original = dir.resolve("original.ckpt");
        python("make", name, original);
        Path migrated = Files.copy(original, dir.resolve("migrated.ckpt"), StandardCopyOption.REPLACE_EXISTING);

        Migrator migrator = new Migrator(MigrationSet.of(List.of(recipe)), OPTIONS);
        migrator.apply(migrated);
        python("check", name, original, migrated);

        if (dev.ckpt.api.Reversible.class.isAssignableFrom(recipe)) {
            migrator.rollbackLast(migrated, 1);
            python("rolled_back", name, original, migrated);
        }
    }

    private static void python(String command, String recipe, Path... files) {
        List<String> args = new java.util.ArrayList<>(List.of(command, recipe));
        for (Path file : files) {
            args.add(file.toString());
        }
        assertEquals("OK", PythonOracle.run(SCRIPT, args, "").strip());
    }
}
