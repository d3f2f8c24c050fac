// After the dry run: the checkpoint is exactly as torch.save wrote it, and no backup was made.
def proc = [python, checkpoints, 'check', '../runs/last.ckpt', '--keys',
            'model.encoder.weight,model.encoder.bias,model.head.weight', '--migrations', ''].execute(null, basedir)
def out = new StringBuilder()
proc.waitForProcessOutput(out, out)
assert proc.exitValue() == 0 : out
assert new File(basedir, '../runs').list().sort() == ['fresh.ckpt', 'last.ckpt']
return true
