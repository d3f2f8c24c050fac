// The generated project built, its test ran on the initial migration, create added one, and the next build tested it too.
def finalMigration = true
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
assert (log =~ /BUILD SUCCESS/).size() == 4
// no checkpoint in checkpoints/ here (a fresh one would be too old for a final group): apply had nothing to do
assert (log =~ /nothing to migrate/).size() == 2
return true
