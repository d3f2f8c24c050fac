/**
 * What a migration author writes against. A migration extends {@link dev.ckpt.api.Migration}
 * (or {@link dev.ckpt.api.FinalMigration}), is annotated with {@link dev.ckpt.api.MigrationInfo},
 * may implement {@link dev.ckpt.api.Reversible}, and declares moved Python code in a
 * {@link dev.ckpt.api.MigrationContext}. It changes the file through {@link dev.ckpt.api.Checkpoint}:
 * {@link dev.ckpt.api.Node} to find values, {@link dev.ckpt.api.StateDict} and
 * {@link dev.ckpt.api.Parameters} for the model and its optimizer, {@link dev.ckpt.api.Tensor} for
 * tensor values, {@link dev.ckpt.api.OmegaConfView} for configs. Tests use
 * {@code dev.ckpt.testing.MigrationTester}. Dtypes are {@code dev.ckpt.torch.DType}.
 */
package dev.ckpt.api;
