# A training run saved checkpoints into the generated project's checkpoints/ (real torch.save).
exec "$CKPT_PYTHON" "$CKPT_CHECKPOINTS" make-many checkpoints/last.ckpt checkpoints/last-v1.ckpt
