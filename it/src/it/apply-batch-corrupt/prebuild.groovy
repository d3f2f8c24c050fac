// 20 real torch.save checkpoints (Lightning-shaped, no migration records yet) in checkpoints/, then 3 of them
// corrupted, each a different way: cut to half its length, replaced by a file that is not a zip, and rewritten
// as a valid zip (CRCs and all) whose data.pkl is not a valid pickle. Kept outside checkpoints/ for verify.groovy:
// the sha256 of the 3 (corrupt.sha256), to prove the build left them unchanged, and the byte offset in data.pkl
// where the pickle goes bad (badpickle.offset), which the reason must name.
import java.security.MessageDigest

def py(String... args) {
    def proc = ([python, checkpoints] + args.toList()).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${args} failed: ${out}"
    return out.toString()
}
def dir = new File(basedir, 'checkpoints')
dir.deleteDir()
dir.mkdirs()
py(*(['make-many'] + (1..20).collect { String.format('checkpoints/epoch-%02d.ckpt', it) }))
py('truncate', 'checkpoints/epoch-04.ckpt')
py('broken', 'checkpoints/epoch-11.ckpt')
def bad = py('badpickle', 'checkpoints/epoch-17.ckpt') =~ /\[(.+\/data\.pkl)\] byte (\d+) is 0xff/
assert bad.find() : 'badpickle names the record and the offset'
new File(basedir, 'badpickle.offset').text = "${bad.group(1)} ${bad.group(2)}\n"
new File(basedir, 'corrupt.sha256').text = ['epoch-04', 'epoch-11', 'epoch-17'].collect { n ->
    def sha = MessageDigest.getInstance('SHA-256').digest(new File(dir, "${n}.ckpt").bytes).encodeHex().toString()
    "${sha}  checkpoints/${n}.ckpt\n"
}.join()
return true
