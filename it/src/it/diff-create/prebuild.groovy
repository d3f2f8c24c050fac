// The old and the new model code's checkpoints, saved by real torch 1.13 into runs/; the old one
// also into checkpoints/, the file set the bound apply migrates.
def py(String... args) {
    def proc = ([python, 'model.py'] + args.toList()).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${args} failed: ${out}"
}
['runs', 'checkpoints'].each { new File(basedir, it).mkdirs() }
py('save', 'old', 'runs/old.ckpt')
py('save', 'new', 'runs/new.ckpt')
py('save', 'old', 'checkpoints/old.ckpt')
return true
