// Two real torch.save checkpoints outside the project: one to migrate and roll back, one to register.
def py(String... args) {
    def proc = ([python, checkpoints] + args.toList()).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${args} failed: ${out}"
}
def data = new File(basedir, '../runs')
data.deleteDir()
data.mkdirs()
py('make', '../runs/last.ckpt')
py('make', '../runs/fresh.ckpt')
return true
