// A real torch.save checkpoint carrying two migration records as the reference writes them.
def proc = [python, checkpoints, 'make', 'model.ckpt', '--records', '1750000000_rename_encoder', '1750000100_record_backbone',
            '--app', 'demo-model', '--version', '1.1.0'].execute(null, basedir)
def out = new StringBuilder()
proc.waitForProcessOutput(out, out)
assert proc.exitValue() == 0 : out
return true
