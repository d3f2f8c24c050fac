// After apply: both migrations ran and are recorded.
def proc = [python, checkpoints, 'check', '../runs/last.ckpt',
            '--keys', 'model.backbone.weight,model.backbone.bias,model.head.weight',
            '--migrations', '1750000000_rename_encoder,1750000100_record_backbone', '--hp', 'backbone=transformer'].execute(null, basedir)
def out = new StringBuilder()
proc.waitForProcessOutput(out, out)
assert proc.exitValue() == 0 : out
return true
