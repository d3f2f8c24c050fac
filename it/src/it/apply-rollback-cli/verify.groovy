// The whole session: what each command printed, the JSON of inspect, and the final state of both files.
import groovy.json.JsonSlurper

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
}
// rollback -Dcount=1 undid the rename too: the tensors are back under their first names
py('check', '../runs/last.ckpt', '--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight',
   '--migrations', '', '--no-hp', 'backbone')
// register stamped the fresh checkpoint without running anything; forget dropped the newer record, noting it in the history
py('check', '../runs/fresh.ckpt', '--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight',
   '--migrations', '1750000000_rename_encoder', '--history', 'forget:1750000100_record_backbone', '--no-hp', 'backbone')

def data = new File(basedir, '../runs').canonicalPath
def log = new File(basedir, 'build.log').text
// 1: dry run
assert log.contains("[INFO] ${data}/last.ckpt (dry run: nothing written)\n[INFO]   + MIGRATE 1750000000_rename_encoder [v1.0.0]\n" +
        "[INFO]   + MIGRATE 1750000100_record_backbone [v1.1.0]\n")
// 2: apply, with the backup named as the reference names it
assert log.contains("[INFO] ${data}/last.ckpt\n[INFO]   + MIGRATE 1750000000_rename_encoder [v1.0.0]\n" +
        "[INFO]   + MIGRATE 1750000100_record_backbone [v1.1.0]\n[INFO]   original kept as ${data}/.ckpt-backups/last-v0.ckpt.bak (")
// 3: inspect, table and JSON
assert log =~ /\[INFO\] 1750000000_rename_encoder +1\.0\.0 +applied/
assert log =~ /\[INFO\] 1750000100_record_backbone +1\.1\.0 +applied/
assert log.contains('[INFO] Compatible: yes\n[INFO] Already up to date.')
def json = new JsonSlurper().parse(new File(basedir, 'target/last.json'))
assert json.registered == ['1750000000_rename_encoder', '1750000100_record_backbone']
assert json.missing == [] && json.extra == [] && json.compatible && json.upToDate
// 4: rollback to a target
assert log.contains("[INFO]   + ROLLBACK 1750000100_record_backbone [v1.1.0]\n[INFO]   original kept as ${data}/.ckpt-backups/last-v1.1.0-2.ckpt.bak (")
// 5: refused
assert log.contains('Give either -Dtarget=<migration name> or -Dcount=N, not both')
// 6: rollback by count
assert log.contains("[INFO]   + ROLLBACK 1750000000_rename_encoder [v1.0.0]\n[INFO]   original kept as ${data}/.ckpt-backups/last-v1.0.0-1.ckpt.bak (")
// 7: register
assert log.contains("[INFO]   + REGISTER 1750000000_rename_encoder [v1.0.0]\n[INFO]   + REGISTER 1750000100_record_backbone [v1.1.0]\n")
// 8: forget refuses a migration the code has; 9: forced
assert log.contains('1750000100_record_backbone is not an extra migration of this checkpoint')
assert log.contains("[INFO]   - FORGET 1750000100_record_backbone (its changes stay in the checkpoint; the history notes it)\n")
return true
