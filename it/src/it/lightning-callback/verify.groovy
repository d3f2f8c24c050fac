// Lightning checkpoints born registered are up to date; a new migration reaches all of them in one build, and the next build changes nothing.
def project = new File(basedir, 'demo-model')
def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 10 : "one Maven run per step, got ${runs.size()}"
runs.eachWithIndex { run, i -> assert run.contains('BUILD SUCCESS') : "step ${i + 1} failed" }

// 2: the build wrote the manifest the callback reads
assert runs[1].contains('Wrote the migrations manifest (1 migrations, app key demo-model) to target/classes/META-INF/ckpt/migrations.json')
// 3: Lightning's names, both fits
def trained = ['epoch=0-step=2-v1.ckpt', 'epoch=0-step=2.ckpt', 'epoch=0-step=4-v1.ckpt', 'epoch=0-step=4.ckpt', 'last-v1.ckpt', 'last.ckpt']
// 4-6: born registered
(3..5).each { assert runs[it].contains('Already up to date.') : "step ${it + 1}: ${runs[it]}" }

def migration = new File(project, 'src/main/java/com/example/model/migrations').list().find { it.endsWith('_rename_layer.java') }
def second = migration - 'M' - '.java'
// the manifest now lists both migrations (the records the callback stamps from here on)
def manifest = new groovy.json.JsonSlurper().parse(new File(project, 'target/classes/META-INF/ckpt/migrations.json'))
assert manifest.records*.name == ['1700000000_initial', second]
assert runs[8].contains('Wrote the migrations manifest (2 migrations, app key demo-model)')
// 9: every checkpoint migrated by the bound apply, after the tests
def applied = runs[8]
assert applied.indexOf('Tests run: 1, Failures: 0') < applied.indexOf('Migrating 6 checkpoints') : 'apply runs after the tests'
assert (applied =~ /\+ MIGRATE ${second} /).size() == 6
assert !applied.contains('+ MIGRATE 1700000000_initial')
assert applied.contains('6 of 6 checkpoints migrated or up to date (6 rewritten, 0 unchanged), 0 failed')
assert (applied =~ /original kept as checkpoints\/\.ckpt-backups\/\S+\.ckpt\.bak \(\S+ \S+ kept on disk until it is deleted\)/).size() == 6
assert !applied.contains('Skipped ')
// 10: nothing left to do, backups not taken for checkpoints
def again = runs[9]
assert !again.contains('+ MIGRATE')
assert again.contains('6 of 6 checkpoints migrated or up to date (0 rewritten, 6 unchanged), 0 failed')
def checkpoints = new File(project, 'checkpoints')
assert checkpoints.list().findAll { it.endsWith('.ckpt') }.sort() == trained
// one backup per checkpoint, named for the version its one record carries (1.0: the project's 1.0-SNAPSHOT, released)
assert new File(checkpoints, '.ckpt-backups').list().sort() == trained.collect { it.replace('.ckpt', '-v1.0-1.ckpt.bak') }.sort()

// torch 1.13 and torch 2.13 (with Lightning's load_from_checkpoint) read every migrated checkpoint
[python, python2].each { interpreter ->
    def files = trained.collect { new File(checkpoints, it).path }
    def proc = ([interpreter, new File(basedir, 'check.py').path, '1700000000_initial,' + second] + files).execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : out
}
return true
