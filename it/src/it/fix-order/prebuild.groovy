// A throwaway git repository: two migrations on main; on a branch, a migration stamped before the newest one on main.
def git(String... args) {
    def proc = (['git', '-c', 'user.name=ckpt it', '-c', 'user.email=it@ckpt.invalid', '-c', 'init.defaultBranch=main'] + args.toList())
            .execute(null, basedir)
    def out = new StringBuilder()
    proc.waitForProcessOutput(out, out)
    assert proc.exitValue() == 0 : "git ${args}: ${out}"
}
git('init', '-q')
git('add', 'pom.xml', 'src')
git('commit', '-q', '-m', 'main: two migrations')
git('checkout', '-q', '-b', 'feature')
def dir = new File(basedir, 'src/main/java/com/example/model/migrations')
new File(dir, 'M1750000050_late_change.java').text = '''package com.example.model.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Written on a branch before M1750000100_record_backbone landed on main. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1750000050_late_change extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.node("hyper_parameters").asMap().put("late", true);
    }
}
'''
git('add', 'src')
git('commit', '-q', '-m', 'feature: a migration')
return true
