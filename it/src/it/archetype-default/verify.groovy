// The generated project built and validated, its test ran on the initial migration, create added one, the next build tested,
// applied and validated it too; a migration whose test fails leaves every checkpoint as it was.
def finalMigration = false
def project = new File(basedir, 'demo-model')
def migrations = new File(project, 'src/main/java/com/example/model/migrations')
def names = migrations.list().sort()
assert names.size() == 3 : names
assert names[0] == 'M1700000000_initial.java'
assert names[1] ==~ /M\d{10}_rename_layer\.java/
assert names[2] == 'M1900000000_broken.java'
def initial = new File(migrations, names[0]).text
assert initial.contains('public class M1700000000_initial extends ' + (finalMigration ? 'FinalMigration' : 'Migration'))
assert new File(project, 'src/test/java/com/example/model/migrations/MigrationsTest.java').isFile()
assert new File(project, 'README.md').text.contains('# demo-model: checkpoint migrations')
assert new File(project, '.gitignore').text.contains('.ckpt-backups/')
def pom = new File(project, 'pom.xml').text
assert pom.contains('<migrationsPackage>com.example.model.migrations</migrationsPackage>')
assert pom.contains('<appKey>demo-model</appKey>')
assert !pom.contains('<exclude>') : 'no file set needs to exclude the backups'

def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 9
(0..7).each { assert runs[it].contains('BUILD SUCCESS') : "step ${it + 1} failed:\n" + runs[it] }
assert runs[4].contains('Created src/main/java/com/example/model/migrations/' + names[1])
// both verify runs ran the migrations test on the Lightning-shaped sample, then the apply bound after it
[runs[2], runs[5]].each { run ->
    assert run =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0/
    assert run.indexOf('Tests run: 1, Failures: 0') < run.indexOf('Migrating 2 checkpoints') : 'apply runs after the tests'
}
def second = names[1] - 'M' - '.java'
assert (runs[2] =~ /\+ MIGRATE 1700000000_initial /).size() == 2 : 'last.ckpt and last-v1.ckpt are both migrated'
assert (runs[5] =~ /\+ MIGRATE ${second} /).size() == 2
assert !runs[5].contains('+ MIGRATE 1700000000_initial') : 'backups are not migrated again'
// validate passes on a fresh project and after create; the rollback stubs that are not Reversible yet are warnings
[runs[3], runs[6]].each { run ->
    assert run.contains('well formed and in order')
    assert run.contains('[WARNING] 1700000000_initial has a rollback method but does not implement Reversible')
}
// the broken migration's test fails the build before apply: the checkpoints are as they were
def failed = runs[8]
assert failed.contains('BUILD FAILURE')
assert failed.contains('broken on purpose')
assert !failed.contains('Migrating 2 checkpoints')
def ckptDir = new File(project, 'checkpoints')
def before = new File(project, 'target/before-broken.sha').readLines().collectEntries { line -> def (sum, name) = line.split(/\s+/); [name, sum] }
assert before.keySet() == ['last-v1.ckpt', 'last.ckpt'] as Set
before.each { name, sum ->
    def digest = java.security.MessageDigest.getInstance('SHA-256').digest(new File(ckptDir, name).bytes).encodeHex().toString()
    assert digest == sum : "${name} changed"
}
def backups = new File(ckptDir, '.ckpt-backups').list().sort()
assert backups.size() == 4 && backups.every { it.endsWith('.ckpt.bak') } : backups
// torch.load reads the migrated checkpoints: the tensors untouched, both migrations recorded
// under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv
[python, python2].each { interpreter ->
    ['last.ckpt', 'last-v1.ckpt'].each { file ->
        def proc = [interpreter, checkpoints, 'check', 'demo-model/checkpoints/' + file, '--migrations', '1700000000_initial,' + second].execute(null, basedir)
        def out = new StringBuilder()
        proc.waitForProcessOutput(out, out)
        println out
        assert proc.exitValue() == 0 : out
    }
}
return true
