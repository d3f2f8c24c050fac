package dev.ckpt.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's recipes are the tested recipe classes, word for word (from their imports on), and nothing else. */
class ReadmeRecipesTest {
    private static final Path README = Path.of("../README.md");
    private static final Path RECIPES = Path.of("src/test/java/dev/ckpt/recipes");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyRecipeInTheReadmeIsATestedClass() throws IOException {
        String readme = Files.readString(README);
        String recipes = readme.substring(readme.indexOf("### Recipes"), readme.indexOf("## Using the plugin"));
        List<String> blocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(recipes);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        List<String> classes;
        try (Stream<Path> files = Files.list(RECIPES)) {
            classes = files.filter(f -> f.getFileName().toString().matches("M\\d+_\\w+\\.java")).sorted()
                    .map(ReadmeRecipesTest::fromImports).toList();
        }
        assertEquals(6, classes.size(), "six recipes, as the README promises");
        for (String recipe : classes) {
            assertTrue(blocks.contains(recipe), "the README does not show this recipe as it is tested:\n" + recipe);
        }
        assertEquals(classes.size(), blocks.size(), "the README shows a recipe no test runs");
    }

    private static String fromImports(Path file) {
        try {
            String source = Files.readString(file);
            return source.substring(source.indexOf("import "));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
