// After rollback -Dtarget=1750000000_rename_encoder: the newer migration is undone, the target stays.
def proc = [python, checkpoints, 'check', '../runs/last.ckpt',
            '--keys', 'model.backbone.weight,model.backbone.bias,model.head.weight',
            '--migrations', '1750000000_rename_encoder', '--no-hp', 'backbone',
            '--history', 'migrate:1750000000_rename_encoder,migrate:1750000100_record_backbone,rollback:1750000100_record_backbone'
           ].execute(null, basedir)
def out = new StringBuilder()
proc.waitForProcessOutput(out, out)
assert proc.exitValue() == 0 : out
return true
