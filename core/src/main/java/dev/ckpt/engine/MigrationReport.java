package dev.ckpt.engine;

import dev.ckpt.torch.RewriteSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run did to one checkpoint.
 *
 * @param file     the checkpoint
 * @param plan     the plan that ran
 * @param lines    the reference-style lines: {@code + MIGRATE name [vX]}, or "already up to date"
 * @param backup   where the original was kept, or null
 * @param written  false for a dry run or when nothing had to change
 * @param warnings changed signatures, placeholders left in the tree, ...
 * @param rewrite  how the new file was written (bytes taken over, bytes written, dead bytes), or null when none was
 */
public record MigrationReport(Path file, MigrationPlan plan, List<String> lines, Path backup, boolean written, List<String> warnings,
                              RewriteSummary rewrite) {
}
