// Two real torch.save checkpoints (Lightning-shaped, no migration records yet) in checkpoints/.
def py(String... args) {
    def proc = ([python, checkpoints] + args.toList()).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${args} failed: ${out}"
}
new File(basedir, 'checkpoints').mkdirs()
py('make', 'checkpoints/a.ckpt')
py('make', 'checkpoints/b.ckpt')
return true
