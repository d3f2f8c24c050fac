# What a training repository does (README, "Checkpoints born registered"): install the callback,
# then train with it; it reads the manifest the build wrote into target/classes.
set -e
"$CKPT_PYTHON2" -m pip install --quiet --no-index --retries 0 --no-deps --no-build-isolation --target target/train-libs "$CKPT_PYTHON_PACKAGE"
PYTHONPATH=target/train-libs exec "$CKPT_PYTHON2" ../train.py target/classes checkpoints
