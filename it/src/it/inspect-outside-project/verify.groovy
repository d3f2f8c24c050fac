// The records and history as a table, the same as JSON, and the checkpoint untouched.
import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
assert log.count('[INFO] Checkpoint: ' + new File(basedir, 'model.ckpt').canonicalPath) == 2
assert log =~ /\[INFO\] MIGRATION +VERSION +FINAL +ROLLBACK/
assert log =~ /\[INFO\] 1750000000_rename_encoder +1\.1\.0 +no +none/
assert log =~ /\[INFO\] 1750000100_record_backbone +1\.1\.0 +no +none/
assert log.contains('[INFO] History:\n[INFO]   migrate 1750000000_rename_encoder\n[INFO]   migrate 1750000100_record_backbone')
def json = new JsonSlurper().parse(new File(basedir, 'model.json'))
assert json.records*.name == ['1750000000_rename_encoder', '1750000100_record_backbone']
assert json.records*.version == ['1.1.0', '1.1.0']
assert json.history == ['migrate 1750000000_rename_encoder', 'migrate 1750000100_record_backbone']
// inspect writes nothing but the JSON it was asked for: no backup, the records as they were
assert basedir.list().findAll { it.endsWith('.ckpt') } == ['model.ckpt']
// under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv
[python, python2].each { interpreter ->
    def proc = [interpreter, checkpoints, 'check', 'model.ckpt', '--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight',
                '--migrations', '1750000000_rename_encoder,1750000100_record_backbone'].execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    assert proc.exitValue() == 0 : out
}
return true
