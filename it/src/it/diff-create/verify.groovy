// checkpoint:diff in its three forms, then the bound apply of the migration it wrote: the log of each
// run, the JSON (parsed), the created source, and torch loading the migrated checkpoint into the new
// model (under both torch oracles: Debian's torch 1.13 and the torch 2.13 venv).
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def lines = [
        '[INFO]   prefix renamed         state_dict: encoder.* -> backbone.* (2 tensors; same shape, name similarity)',
        '[INFO]   tensor values changed  state_dict["head.weight"] float32 [2, 4]',
        '[INFO]   tensor values changed  state_dict["head.bias"] float32 [2]',
        '[INFO]   key moved              hyper_parameters: hidden -> width (equal value)',
        "[INFO]   key added              hyper_parameters.activation 'relu'",
        '[INFO] 5 differences (3 structural, 2 of values only)']
lines.each { line ->
    assert log.count(line) == 3 : "each of the three diff runs reports: ${line}"
}
assert log.count('[INFO] From ' + new File(basedir, 'runs/old.ckpt').canonicalPath) == 3
assert log.contains('[INFO] Wrote target/diff.json')

def json = new JsonSlurper().parse(new File(basedir, 'target/diff.json'))
assert json.from == new File(basedir, 'runs/old.ckpt').canonicalPath
assert json.differences.collect { it.kind }.sort() == ['key_added', 'key_moved', 'prefix_renamed', 'tensor_values', 'tensor_values'] : json
def only = { kind -> json.differences.find { it.kind == kind } }
def prefix = only('prefix_renamed')
assert [prefix.scope, prefix.at, prefix.from, prefix.to, prefix.count] == ['state_dict', 'state_dict', 'encoder.', 'backbone.', 2] : prefix
def moved = only('key_moved')
assert [moved.at, moved.from, moved.to, moved.evidence] == ['hyper_parameters', 'hidden', 'width', 'equal value'] : moved
assert json.differences.findAll { it.kind == 'tensor_values' }.collect { it.path }.sort() == ['state_dict["head.bias"]', 'state_dict["head.weight"]']
assert json.undecided == []

def dir = new File(basedir, 'src/main/java/com/example/model/migrations')
def files = dir.list().toList()
assert files.size() == 1 && files[0] ==~ /M\d{10}_rename_encoder\.java/ : files
assert log.contains('[INFO] Created src/main/java/com/example/model/migrations/' + files[0])
def source = new File(dir, files[0]).text
assert source.contains('public class ' + (files[0] - '.java') + ' extends Migration implements Reversible {') : source
[
        'checkpoint.stateDict("state_dict").renamePrefix("encoder.", "backbone.");',
        'checkpoint.node("hyper_parameters").asMap().put("width", checkpoint.node("hyper_parameters").asMap().remove("hidden"));',
        'checkpoint.node("hyper_parameters").asMap().put("activation", "relu");',
        'checkpoint.stateDict("state_dict").renamePrefix("backbone.", "encoder.");',
        'checkpoint.node("hyper_parameters").asMap().remove("activation");',
        'values changed: state_dict["head.weight"]',
].each { statement ->
    assert source.contains(statement) : "${statement} in ${source}"
}
assert new File(basedir, 'target/classes/com/example/model/migrations/' + (files[0] - '.java') + '.class').isFile()

def migration = files[0].substring(1, files[0].length() - '.java'.length())
assert log.contains("[INFO] checkpoints/old.ckpt\n[INFO]   + MIGRATE ${migration} [v1.1.0]\n")
assert log.count('BUILD SUCCESS') == 6
[python, python2].each { interpreter ->
    def out = new StringBuilder()
    def proc = [interpreter, 'model.py', 'check', 'checkpoints/old.ckpt'].execute(null, basedir)
    proc.waitForProcessOutput(out, out)
    println out
    assert proc.exitValue() == 0 : "${interpreter}: the migrated checkpoint does not load into the new model: ${out}"
    assert out.contains('into the new model')
}
// Before the migration it did not: the unmigrated copy in runs/ fails the same check.
def before = [python, 'model.py', 'check', 'runs/old.ckpt'].execute(null, basedir)
before.waitForProcessOutput(new StringBuilder(), new StringBuilder())
assert before.exitValue() != 0
['checkpoint:diff', 'User property: from', 'User property: to', 'User property: json', 'User property: create'].each {
    assert log.contains(it) : "checkpoint:help -Dgoal=diff shows ${it}"
}

// checkpoint:show in the project, on the migrated checkpoint (the last of the runs in build.log)
def shown = log.split(/\[INFO\] Scanning for projects\.\.\./)[-1]
assert shown.contains('state_dict["backbone.0.weight"]  float32  [4, 3]') && shown.contains('state_dict["backbone.0.bias"]') : shown
assert !shown.contains('state_dict["encoder.') : shown
return true
