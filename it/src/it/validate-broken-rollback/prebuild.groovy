// A real torch.save checkpoint as the sample the round trips run on.
new File(basedir, 'samples').mkdirs()
def proc = [python, checkpoints, 'make', 'samples/sample.ckpt'].execute(null, basedir)
def out = new StringBuilder()
proc.waitForProcessOutput(out, out)
assert proc.exitValue() == 0 : out
return true
