// The batch promise: of 20 checkpoints with 3 corrupt, apply migrates the 17, names each of the 3 with its reason,
// fails the build (invoker.buildResult = failure), and leaves the 3 byte for byte as they were; nothing else is
// left behind in checkpoints/ (no temp file, no lock file, no backup of a file that was not migrated).
import java.security.MessageDigest

// every check runs under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv
def py(String... args) {
    def out = new StringBuilder()
    [python, python2].each { interpreter ->
        out = new StringBuilder()
        def proc = ([interpreter, checkpoints] + args.toList()).execute(null, basedir)
        proc.waitForProcessOutput(out, out)
        println out
        assert proc.exitValue() == 0 : "${interpreter} ${args} failed: ${out}"
    }
    return out.toString()
}
def all = (1..20).collect { String.format('epoch-%02d', it) }
def corrupt = ['epoch-04', 'epoch-11', 'epoch-17']
def good = all - corrupt
def dir = new File(basedir, 'checkpoints')

// the 3 corrupt files are unchanged, byte for byte
new File(basedir, 'corrupt.sha256').readLines().each { line ->
    def (sha, path) = line.split(/  /)
    def now = MessageDigest.getInstance('SHA-256').digest(new File(basedir, path).bytes).encodeHex().toString()
    assert now == sha : "${path} was changed by the failed build"
}

// the 17 are migrated (torch.load: keys renamed over the same tensors, records, history, hyper-parameter),
// and their backups are the untouched originals
def out = py(*(['check-many'] + good.collect { "checkpoints/${it}.ckpt" } +
        ['--keys', 'model.backbone.weight,model.backbone.bias,model.head.weight',
         '--migrations', '1750000000_rename_encoder,1750000100_record_backbone',
         '--history', 'migrate:1750000000_rename_encoder,migrate:1750000100_record_backbone',
         '--hp', 'backbone=transformer']))
assert out.count('CHECK OK') == 17
out = py(*(['check-many'] + good.collect { "checkpoints/.ckpt-backups/${it}-v0.ckpt.bak" } +
        ['--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight', '--migrations', '', '--no-hp', 'backbone']))
assert out.count('CHECK OK') == 17

// nothing else in checkpoints/: one backup per migrated file, none for the failed ones, no temp or lock file
def names = dir.list().sort()
assert !names.any { it.endsWith('.ckpt-tmp') } : "temp files left behind: ${names}"
assert !names.any { it.endsWith('.ckpt-lock') } : "lock files left behind: ${names}"
assert names == (all.collect { "${it}.ckpt" } + ['.ckpt-backups']).collect { it.toString() }.sort() :
        "the 20 checkpoints and the backup directory only: ${names}"
def backups = new File(dir, '.ckpt-backups').list().sort()
assert backups == good.collect { "${it}-v0.ckpt.bak".toString() }.sort() : "the 17 backups only: ${backups}"

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Migrating 20 checkpoints, 4 at a time')
good.each { n ->
    assert log.contains("[INFO] checkpoints/${n}.ckpt\n[INFO]   + MIGRATE 1750000000_rename_encoder [v1.0.0]\n" +
            "[INFO]   + MIGRATE 1750000100_record_backbone [v1.1.0]\n[INFO]   original kept as checkpoints/.ckpt-backups/${n}-v0.ckpt.bak (")
}
corrupt.each { n ->
    assert !log.contains("[INFO] checkpoints/${n}.ckpt\n") : "${n} reported as migrated"
}
// each failed file on its own [ERROR] line with its reason, as core words it: the cut file is called truncated,
// the other one not a zip.
def reason = { String n ->
    def line = log.readLines().find { it.startsWith("[ERROR] checkpoints/${n}.ckpt: ") }
    assert line != null : "no [ERROR] line for ${n}"
    return line
}
assert reason('epoch-04').contains('truncated')
assert reason('epoch-04').contains('no end-of-central-directory record')
assert reason('epoch-11').contains('not a zip archive')
assert !reason('epoch-04').contains('not a zip archive') && !reason('epoch-11').contains('truncated')
// the bad pickle's reason names the data.pkl record and the byte offset of the bad opcode in it
def (record, offset) = new File(basedir, 'badpickle.offset').text.trim().split(' ')
assert !reason('epoch-17').contains(basedir.path) : "the reason repeats the absolute path"
assert reason('epoch-17').contains("[${record}]: unreadable pickle: invalid load key 0xff: not a pickle opcode (at byte ${offset})")
// the build fails, counting the failures and listing them again
assert log.contains('3 of 20 checkpoints could not be migrated (the other 17 were; each failed file is unchanged):\n' +
        "[ERROR]   - ${reason('epoch-04').substring(8)}\n[ERROR]   - ${reason('epoch-11').substring(8)}\n" +
        "[ERROR]   - ${reason('epoch-17').substring(8)}\n")
assert log.count('[ERROR] checkpoints/') == 3 : 'only the 3 corrupt files fail'
assert log.contains('BUILD FAILURE')
return true
