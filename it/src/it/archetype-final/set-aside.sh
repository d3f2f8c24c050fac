# The other application's checkpoint leaves the file set (verify checks it was not changed).
exec mv checkpoints/other-app.ckpt target/
