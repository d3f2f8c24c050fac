# A training run saved a checkpoint into the generated project's checkpoints/ (real torch.save).
exec "$CKPT_PYTHON" "$CKPT_CHECKPOINTS" make checkpoints/last.ckpt
