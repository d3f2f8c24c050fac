# The body a user writes into the migration create made: the model's layer is now called block.
set -e
f=$(ls src/main/java/com/example/model/migrations/M*_rename_layer.java)
sed -i \
  -e 's/extends Migration {/extends Migration implements dev.ckpt.api.Reversible {/' \
  -e '/public void migrate(Checkpoint checkpoint) {/a\        checkpoint.stateDict().renamePrefix("layer.", "block.");' \
  -e '/public void rollback(Checkpoint checkpoint) {/a\        checkpoint.stateDict().renamePrefix("block.", "layer.");' \
  "$f"
cat "$f"
