// A final group: the generated project builds; a checkpoint without records is refused naming register, and another
// application's checkpoint is refused and unchanged; register -Dbaseline stamps the first, which the next build migrates.
def finalMigration = true
def project = new File(basedir, 'demo-model')
def migrations = new File(project, 'src/main/java/com/example/model/migrations')
def names = migrations.list().sort()
assert names.size() == 2 : names
assert names[0] == 'M1700000000_initial.java'
assert names[1] ==~ /M\d{10}_rename_layer\.java/
def initial = new File(migrations, names[0]).text
assert initial.contains('public class M1700000000_initial extends ' + (finalMigration ? 'FinalMigration' : 'Migration'))
def pom = new File(project, 'pom.xml').text
assert pom.contains('<appKey>demo-model</appKey>')

def log = new File(basedir, 'build.log').text
def runs = log.split(/\[INFO\] Scanning for projects\.\.\./).drop(1)
assert runs.size() == 9
[0, 1, 2, 4, 5, 6, 7, 8].each { assert runs[it].contains('BUILD SUCCESS') : "step ${it + 1} failed:\n" + runs[it] }
assert runs[1].contains('nothing to migrate')

// 4: both refused, with their reasons and the way out; the summary does not claim the others were migrated
def refused = runs[3]
assert refused.contains('BUILD FAILURE')
assert refused.contains('checkpoints/last.ckpt: No compatible migration available: the checkpoint is too old. Use a version of demo-model < 1.0.')
assert refused.contains('if it was saved by code that already has 1700000000_initial, it is not too old, only unregistered')
assert refused.contains('mvn checkpoint:register -Dcheckpoint=<file> (-Dbaseline=<migration> for code of an older release)')
assert refused.contains('checkpoints/other-app.ckpt: its migration records belong to the application other-app, not to demo-model (appKey)')
assert refused.contains('2 of 2 checkpoints could not be migrated (none could be; each file is unchanged)')
def other = new File(project, 'target/other-app.ckpt')
def sum = new File(project, 'target/other-app.sha').text.split(/\s+/)[0]
assert java.security.MessageDigest.getInstance('SHA-256').digest(other.bytes).encodeHex().toString() == sum : 'the other application\'s checkpoint is unchanged'

// 5: stamped as of the final migration, nothing run
assert runs[4].contains('+ REGISTER 1700000000_initial [v1.0]')
// 8: the new migration runs on it
def second = names[1] - 'M' - '.java'
assert runs[7].contains('+ MIGRATE ' + second + ' [v1.0]')
assert !runs[7].contains('+ MIGRATE 1700000000_initial')
// 9: bare -Djson: the JSON report on standard output, no file named true
def jsonText = runs[8].readLines().dropWhile { it != '{' }.reverse().dropWhile { it != '}' }.reverse().join('\n')
def report = new groovy.json.JsonSlurper().parseText(jsonText)
assert report.upToDate == true
assert report.registered == ['1700000000_initial', second]
assert !new File(project, 'true').exists()

[python, python2].each { interpreter ->
    def proc = [interpreter, checkpoints, 'check', 'demo-model/checkpoints/last.ckpt', '--migrations', '1700000000_initial,' + second].execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : out
}
return true
