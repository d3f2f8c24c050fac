// The report in a real browser: mvn site wrote target/site/checkpoints.html and checkpoint:report the same page as
// target/ckpt-report.html; headless chromium opens the site's page, its DOM has one row per checkpoint with the
// status and columns each should have, and its screenshot is a real 1280x900 picture.
import dev.ckpt.browser.ReportInBrowser
import java.nio.file.Files

def site = new File(basedir, 'target/site/checkpoints.html').toPath()
def standalone = new File(basedir, 'target/ckpt-report.html').toPath()
assert Files.isRegularFile(site) : 'mvn site wrote no checkpoints.html'
assert Files.isRegularFile(standalone) : 'checkpoint:report wrote no target/ckpt-report.html'

def log = new File(basedir, 'build.log').text
assert log.contains('--- checkpoint-maven-plugin:' + pluginVersion + ':site-report') || log.contains('checkpoint-maven-plugin:' + pluginVersion + ':site-report')
assert log.contains('Wrote target/ckpt-report.html (5 checkpoints)')

// the same page, but for when it was made (the generation time, and the ages measured from it)
def timeless = { page -> Files.readString(page).replaceAll(/generated [0-9: -]+UTC/, '').replaceAll(/<td class="num">\d+ (s|min|h|d)<\/td>/, '') }
assert timeless(site) == timeless(standalone)

// the site links the report
def linked = new File(basedir, 'target/site').listFiles().findAll { it.name.endsWith('.html') && it.name != 'checkpoints.html' }
        .any { it.text.contains('href="checkpoints.html"') }
assert linked : 'no page of the site links checkpoints.html'

def dom = ReportInBrowser.dom(site)
def statuses = ReportInBrowser.statuses(dom)
assert statuses == ['corrupt.ckpt': 'failed', 'extra.ckpt': 'extra', 'other-app.ckpt': 'incompatible',
                    'pending.ckpt': 'pending', 'up-to-date.ckpt': 'up to date'] : statuses

// columns: checkpoint, status, app version, size, last migration, age, detail
def up = ReportInBrowser.cells(dom, 'up-to-date.ckpt')
assert up[2] == '1.1.0' && up[4] == '1750000100_record_backbone' && up[6] == '' : up
assert up[3] ==~ /\d+\.\d kB/ : up
def pending = ReportInBrowser.cells(dom, 'pending.ckpt')
assert pending[2] == '-' && pending[4] == '-' && pending[6] == 'to run: 1750000000_rename_encoder, 1750000100_record_backbone' : pending
def extra = ReportInBrowser.cells(dom, 'extra.ckpt')
assert extra[4] == '1750000200_dropped_head' && extra[6].startsWith('to roll back: 1750000200_dropped_head') : extra
def other = ReportInBrowser.cells(dom, 'other-app.ckpt')
assert other[2] == '3.0.0' && other[6].contains('other-model') : other
def corrupt = ReportInBrowser.cells(dom, 'corrupt.ckpt')
assert corrupt[6].contains('corrupt.ckpt') : corrupt

// the timeline and the chart of the up-to-date checkpoint, as the browser built them
def section = dom.selectFirst('section[data-file=up-to-date.ckpt]')
assert section.select('ol.timeline li').eachText() == ['migrate 1750000000_rename_encoder', 'migrate 1750000100_record_backbone']
assert section.select('svg g.module').eachAttr('data-module') == ['model.backbone', 'model.head']

ReportInBrowser.screenshot(site, new File(basedir, 'target/report.png').toPath(), 1280, 900)
return true
