# Saved by training code that does not stamp records; saved by another application (its records name other-app).
set -e
"$CKPT_PYTHON" "$CKPT_CHECKPOINTS" make checkpoints/last.ckpt
"$CKPT_PYTHON" "$CKPT_CHECKPOINTS" make checkpoints/other-app.ckpt --records 1700000000_initial --app other-app
mkdir -p target
(cd checkpoints && sha256sum other-app.ckpt) > target/other-app.sha
