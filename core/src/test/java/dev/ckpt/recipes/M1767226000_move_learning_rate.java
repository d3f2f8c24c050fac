package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The learning rate moved from {@code training} to {@code optimizer}; every {@code ${training.lr}} follows it. */
@MigrationInfo(version = "2.0.0")
public class M1767226000_move_learning_rate extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        // Lightning's hyper_parameters, an OmegaConf DictConfig: the node moves with its metadata,
        // and interpolations anywhere in the config (${training.lr}, "lr=${training.lr}") are rewritten.
        checkpoint.config("hyper_parameters").move("training.lr", "optimizer.lr");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.config("hyper_parameters").move("optimizer.lr", "training.lr");
    }
}
