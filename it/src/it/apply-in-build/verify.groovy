// torch.load shows what the build did: keys renamed (same tensors), records, history, hyper-parameter;
// the backups are the untouched originals; the second build changed nothing.
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
def migrated = ['--keys', 'model.backbone.weight,model.backbone.bias,model.head.weight',
                '--migrations', '1750000000_rename_encoder,1750000100_record_backbone',
                '--history', 'migrate:1750000000_rename_encoder,migrate:1750000100_record_backbone',
                '--hp', 'backbone=transformer']
py(*(['check', 'checkpoints/a.ckpt'] + migrated))
py(*(['check', 'checkpoints/b.ckpt'] + migrated))
['a', 'b'].each { n ->
    py('check', "checkpoints/.ckpt-backups/${n}-v0.ckpt.bak", '--keys', 'model.encoder.weight,model.encoder.bias,model.head.weight',
       '--migrations', '', '--no-hp', 'backbone')
}
def names = new File(basedir, 'checkpoints').list().sort()
assert names == ['.ckpt-backups', 'a.ckpt', 'b.ckpt'] : names
def backups = new File(basedir, 'checkpoints/.ckpt-backups').list().sort()
assert backups == ['a-v0.ckpt.bak', 'b-v0.ckpt.bak'] : "one backup each, the backups not migrated again: ${backups}"

def log = new File(basedir, 'build.log').text
assert log.contains('--- checkpoint-maven-plugin:' + pluginVersion + ':apply (default) @ demo-model ---')
assert log.contains('[INFO] Migrating 2 checkpoints, 2 at a time')
['a', 'b'].each { n ->
    assert log.contains("[INFO] checkpoints/${n}.ckpt\n[INFO]   + MIGRATE 1750000000_rename_encoder [v1.0.0]\n" +
            "[INFO]   + MIGRATE 1750000100_record_backbone [v1.1.0]\n[INFO]   original kept as checkpoints/.ckpt-backups/${n}-v0.ckpt.bak (")
}
assert log.count('[INFO]   already up to date') == 2 : 'the second build finds both up to date'
assert log.count('BUILD SUCCESS') == 2
return true
