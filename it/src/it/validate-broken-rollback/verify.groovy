// validate fails naming the migration whose rollback does not undo it, and only that one; the sample is untouched.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] 1750000200_add_dropout on sample.ckpt: rollback does not give back the checkpoint before migrate: ')
assert log.contains('1 migration problem in com.example.model.migrations:')
assert !log.contains('1750000000_rename_encoder on sample.ckpt')
assert log.contains('BUILD FAILURE')
// under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv
[python, python2].each { interpreter ->
    def proc = [interpreter, checkpoints, 'check', 'samples/sample.ckpt', '--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight',
                '--migrations', ''].execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    assert proc.exitValue() == 0 : out
}
return true
