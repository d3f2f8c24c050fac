// Real torch.save checkpoints in checkpoints/, one per status of the report: up-to-date.ckpt (fresh: the first
// build applies both migrations to it), pending.ckpt (fresh, no records), extra.ckpt (records of both migrations
// and of 1750000200_dropped_head, which this code does not have), other-app.ckpt (records of another
// application: incompatible) and corrupt.ckpt (not a checkpoint at all).
def py(String... args) {
    def proc = ([python, checkpoints] + args.toList()).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${args} failed: ${out}"
}
new File(basedir, 'checkpoints').mkdirs()
py('make-many', 'checkpoints/up-to-date.ckpt', 'checkpoints/pending.ckpt')
py('make', 'checkpoints/extra.ckpt', '--records', '1750000000_rename_encoder', '1750000100_record_backbone',
   '1750000200_dropped_head', '--version', '1.1.0')
py('make', 'checkpoints/other-app.ckpt', '--records', '1750000000_rename_encoder', '--app', 'other-model', '--version', '3.0.0')
py('broken', 'checkpoints/corrupt.ckpt')
return true
