package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Parameters;
import dev.ckpt.api.Reversible;

/**
 * {@code head} is now {@code classifier}, and the model defines it first: its parameters move
 * to the front of {@code model.parameters()}, so Adam's state must move with them.
 */
@MigrationInfo(version = "2.0.0")
public class M1767226100_classifier_first extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        Parameters params = checkpoint.parameters();
        params.rename("head.weight", "classifier.weight");
        params.rename("head.bias", "classifier.bias");
        params.move("classifier.weight", 0);
        params.move("classifier.bias", 1);
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        Parameters params = checkpoint.parameters();
        int last = params.names().size() - 1;
        params.move("classifier.bias", last);
        params.move("classifier.weight", last - 1);
        params.rename("classifier.weight", "head.weight");
        params.rename("classifier.bias", "head.bias");
    }
}
