// The generated project built, its test ran on the initial migration, create added one, and the next build tested it too.
def finalMigration = false
def project = new File(basedir, 'demo-model')
def migrations = new File(project, 'src/main/java/com/example/model/migrations')
def names = migrations.list().sort()
assert names.size() == 2 : names
assert names[0] == 'M1700000000_initial.java'
assert names[1] ==~ /M\d{10}_rename_layer\.java/
def initial = new File(migrations, names[0]).text
assert initial.contains('public class M1700000000_initial extends ' + (finalMigration ? 'FinalMigration' : 'Migration'))
assert new File(project, 'src/test/java/com/example/model/migrations/MigrationsTest.java').isFile()
assert new File(project, 'README.md').text.contains('# demo-model: checkpoint migrations')
def pom = new File(project, 'pom.xml').text
assert pom.contains('<migrationsPackage>com.example.model.migrations</migrationsPackage>')
assert pom.contains('<appKey>demo-model</appKey>')

def log = new File(basedir, 'build.log').text
assert log.contains('Created src/main/java/com/example/model/migrations/' + names[1])
// both verify runs ran the migrations test and the apply bound to process-classes
assert (log =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0/).size() >= 2 : 'the migrations test ran in both builds'
assert (log =~ /BUILD SUCCESS/).size() == 5
// the first build's apply migrated the checkpoint with the initial migration, the second with the new one
def initialRun = log.indexOf('+ MIGRATE 1700000000_initial')
def second = names[1] - 'M' - '.java'
assert initialRun >= 0 : 'apply ran the initial migration'
assert log.indexOf('+ MIGRATE ' + second) > initialRun : 'apply ran ' + second + ' in the second build'
assert !log.contains('nothing to migrate')
def backups = new File(project, 'checkpoints').list().findAll { it ==~ /last-v.*\.ckpt/ }
assert backups.size() == 2 : backups
// torch.load reads the migrated checkpoint: the tensors untouched, both migrations recorded
// under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv
[python, python2].each { interpreter ->
    def proc = [interpreter, checkpoints, 'check', 'demo-model/checkpoints/last.ckpt', '--migrations', '1700000000_initial,' + second].execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : out
}
return true
