// The tensors, records and globals as text; the filtered JSON equal to what torch.load gives; the checkpoint untouched.
import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
assert log.count('[INFO] Checkpoint: ' + new File(basedir, 'model.ckpt').canonicalPath) == 2
assert log =~ /\[INFO\]   NAME +DTYPE +SHAPE +SIZE/
assert log =~ /\[INFO\]   state_dict\["model\.encoder\.weight"\] +float32 +\[/
assert log =~ /\[INFO\]   GLOBAL +SAFETY +REFERENCES/
assert log =~ /\[INFO\]   torch\._utils\._rebuild_tensor_v2 +safe +\d+/
assert log =~ /\[INFO\]   1750000000_rename_encoder +1\.1\.0 +no +none/
def json = new JsonSlurper().parse(new File(basedir, 'model.json'))
def shown = json.tensors.collect { [it.name, it.dtype, it.shape, it.bytes] }
assert !shown.isEmpty()
assert json.migrations.records*.name == ['1750000000_rename_encoder', '1750000100_record_backbone']
// what torch says of the same tensors, under both oracles
def script = '''
import json, sys, torch
sd = torch.load(sys.argv[1], map_location="cpu")["state_dict"]
print(json.dumps([['state_dict["%s"]' % k, str(t.dtype)[6:], list(t.shape), t.numel() * t.element_size()]
                  for k, t in sd.items() if "encoder" in k]))
'''
[python, python2].each { interpreter ->
    def proc = [interpreter, '-c', script, 'model.ckpt'].execute(null, basedir)
    def out = new StringBuilder()
    def err = new StringBuilder()
    proc.waitForProcessOutput(out, err)
    assert proc.exitValue() == 0 : err
    assert new JsonSlurper().parseText(out.toString()) == shown : "${interpreter}: ${out} != ${shown}"
}
assert basedir.list().findAll { it.endsWith('.ckpt') } == ['model.ckpt']
return true
