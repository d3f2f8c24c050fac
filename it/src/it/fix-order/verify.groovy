// The branch's migration now sorts after the newest on main, file and class renamed; main's are untouched; it compiles.
def dir = new File(basedir, 'src/main/java/com/example/model/migrations')
assert dir.list().sort() == ['M1750000000_rename_encoder.java', 'M1750000100_record_backbone.java', 'M1750000101_late_change.java']
def source = new File(dir, 'M1750000101_late_change.java').text
assert source.contains('public class M1750000101_late_change extends Migration')
assert !source.contains('M1750000050')
assert new File(basedir, 'target/classes/com/example/model/migrations/M1750000101_late_change.class').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Renamed 1750000050_late_change -> 1750000101_late_change (src/main/java/com/example/model/migrations/M1750000101_late_change.java)')
assert log.contains('[INFO] 1 migration renamed to sort after main; review and commit the renames')
return true
