// checkpoint:create in every variant, then mvn compile: the files, their contents, the classes, the log.
def dir = new File(basedir, 'src/main/java/com/example/model/migrations')
def files = dir.listFiles().collect { it.name }.sort()
assert files.size() == 4 : "four migrations created, found ${files}"
def names = ['add_dropout', 'move_layers', 'drop_old_head', 'new_format']
names.eachWithIndex { name, i ->
    assert files[i] ==~ /M\d{10}_${name}\.java/ : "migration ${i} is ${files[i]}, expected M<unix-seconds>_${name}.java in creation order"
}
def source = { i -> new File(dir, files[i]).text }
// plain: a migrate body and a rollback that does not count until the class is Reversible
assert source(0).contains('public class ' + files[0] - '.java' + ' extends Migration {')
assert source(0).contains('public void rollback(Checkpoint checkpoint)')
assert !source(0).contains('implements Reversible')
// -DwithSetup: a migrateSetup method
assert source(1).contains('public void migrateSetup(MigrationContext context)')
// -DnoRollback: no rollback method at all
assert !source(2).contains('rollback(')
// -Dfinal: a FinalMigration without body
assert source(3).contains('extends FinalMigration')
assert !new File(dir, 'impossible').exists() && !files.any { it.contains('impossible') }

files.each { f ->
    def cls = new File(basedir, 'target/classes/com/example/model/migrations/' + (f - '.java') + '.class')
    assert cls.isFile() : "${cls} was compiled"
}

def log = new File(basedir, 'build.log').text
names.eachWithIndex { name, i ->
    assert log.contains('[INFO] Created src/main/java/com/example/model/migrations/' + files[i]) : "the log names ${files[i]}"
}
assert log.contains('a final migration cannot have a setup (as in the reference): drop -DwithSetup or -Dfinal')
// the generated help goal documents the parameters and their command-line properties
assert log.contains('checkpoint:create')
assert log.contains('User property: final')
assert log.contains('User property: withSetup')
assert log.contains('User property: noRollback')
return true
