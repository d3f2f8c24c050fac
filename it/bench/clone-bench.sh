#!/usr/bin/env bash
# Metadata-only rewrite by taking the unchanged bytes over (copy_file_range, a clone on XFS with
# reflinks) beside cp, the full rewrite and the torch.load / deepcopy / torch.save way, on ext4 and
# on XFS (reflink=1), in one run.
#
# Usage (from anywhere, as root for the XFS part):  it/bench/clone-bench.sh [SIZE_MB]     (default 2048)
#
# Steps: builds core + it (no tests) and writes the runtime class path. Then, for each file system:
#   ext4  a temporary directory on the repo's file system ($TMPDIR if that is ext4, else the repo's
#         parent directory; CKPT_BENCH_TMPDIR overrides); its type is printed
#   xfs   a sparse image file in that directory, made with mkfs.xfs -m reflink=1, attached to a loop
#         device (direct I/O on the backing file where the kernel allows, so the page cache holds
#         the XFS pages once, not twice) and mounted; an EXIT trap unmounts, detaches and deletes it
# it makes the checkpoint with it/bench/make_big_checkpoint.py (torch 2.13) and syncs it: the input
# is "at rest, pages clean", in the page cache but not dirty. The cache is never dropped.
# Then CKPT_BENCH_REPEAT rounds, each running in turn (wall clock from date +%s%N around the command,
# peak RSS from /usr/bin/time -v, whose own wall clock has 10 ms steps):
#   cp               cp IN OUT                             (reference; no fsync)
#   cp-sync          cp IN OUT && sync OUT                 (the baseline: ckpt fsyncs its output)
#   ckpt17           JDK 17  -Xmx256m RenameKeysRewrite IN OUT            (default mode: copy_file_range via JNA)
#   ckpt25           JDK 25  -Xmx256m RenameKeysRewrite IN OUT            (the same, on JDK 25)
#   ckpt17-jdkcopy   JDK 17  -Dckpt.copy=jdk ...                          (FileChannel.transferTo: sendfile on 17)
#   ckpt25-jdkcopy   JDK 25  -Dckpt.copy=jdk ...                          (extra row: transferTo is copy_file_range on 25)
#   ckpt17-compact   JDK 17  ... --compact                                (every record written anew)
#   python           it/bench/python_reference_rewrite.py IN OUT          (torch 2.13; no fsync)
# Each output is deleted after its run, then sync. On XFS the used bytes (df -B1 --output=used,
# after sync, polled until XFS's background inode work has settled) are read before and after each
# run, before the output is deleted: "df growth". Then xfs_spaceman's prealloc -s frees XFS's
# speculative preallocation beyond EOF and the growth is read again ("after trim"), since XFS keeps
# that preallocation for minutes after a write. From each ckpt run the driver's own figures are kept:
# open ms (reading the pickle), rename+write ms (everything beyond it), the bytes taken over and how,
# the bytes written anew, the dead bytes.
# The outputs of the last round's ckpt runs are kept until, after the rounds, one of each variant
# per file system is checked with it/bench/check_clone_output.py under torch 2.13 (every loader
# mode; keys renamed in order, every tensor equal). The script prints per file system a markdown
# table of medians, the driver's figures, then the checks (met / NOT met), and exits 1 if an
# output failed its check or a run failed.
#
# Environment: CKPT_PYTHON   torch 2.x python (default .venv/torch2/bin/python under the repo root)
#              JAVA17, JAVA25  the two JDKs' java (defaults /usr/lib/jvm/java-17-openjdk-amd64/bin/java,
#                            /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#              JAVA25_OPTS   extra options for JDK 25 (default --enable-native-access=ALL-UNNAMED,
#                            which silences JDK 25's warning about JNA's System::load)
#              MVN (default mvn), MVN_ARGS (extra mvn arguments, e.g. -Dmaven.repo.local=...),
#              MAVEN_REPO_LOCAL (if set, passed as -Dmaven.repo.local), CKPT_BENCH_SKIP_BUILD=1 uses
#                            the last build's class path
#              CKPT_BENCH_SETTLE seconds to pause after each XFS run (default 3: see run()),
#              CKPT_BENCH_REPEAT rounds (default 5), CKPT_BENCH_FS (default "ext4 xfs"; "ext4" alone
#                            needs no root), CKPT_BENCH_TMPDIR, CKPT_BENCH_KEEP=1 keeps the ext4
#                            temporary directory (the XFS image is always removed)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f pom.xml && -d it && -d core ]] || { echo "clone-bench.sh: $root is not the ckpt repo root" >&2; exit 1; }
die() { echo "clone-bench.sh: $*" >&2; exit 1; }

size_mb="${1:-2048}"
[[ "$size_mb" =~ ^[0-9]+$ && "$size_mb" -ge 1 ]] || { echo "usage: it/bench/clone-bench.sh [SIZE_MB]" >&2; exit 2; }
repeat="${CKPT_BENCH_REPEAT:-5}"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "CKPT_BENCH_REPEAT must be a positive integer"
filesystems="${CKPT_BENCH_FS:-ext4 xfs}"
for fs in $filesystems; do [[ $fs == ext4 || $fs == xfs ]] || die "CKPT_BENCH_FS lists ext4 and/or xfs, not '$fs'"; done
PY="${CKPT_PYTHON:-$root/.venv/torch2/bin/python}"
[[ -x "$PY" ]] || die "no torch 2.x python at $PY (set CKPT_PYTHON to a python with torch >= 2.7)"
"$PY" -c 'import torch, sys; v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]); sys.exit(0 if v >= (2, 7) else 1)' \
  || die "$PY has no torch >= 2.7 (torch.utils.serialization.config is needed by check_clone_output.py)"
JAVA17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA25_OPTS="${JAVA25_OPTS---enable-native-access=ALL-UNNAMED}"
[[ -x "$JAVA17" ]] || die "no JDK 17 java at $JAVA17 (set JAVA17)"
[[ -x "$JAVA25" ]] || die "no JDK 25 java at $JAVA25 (set JAVA25)"
MVN="${MVN:-mvn}"
read -r -a mvn_args <<<"${MVN_ARGS:-}"
[[ -n "${MAVEN_REPO_LOCAL:-}" ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
HEAP=256m

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== /usr/bin/time is missing: installing the Debian package 'time' with apt-get"
    apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  fi
  [[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (apt-get install time)"
fi
if [[ " $filesystems " == *" xfs "* ]]; then
  [[ $(id -u) == 0 ]] || die "the XFS part must run as root (it formats and loop-mounts an image); CKPT_BENCH_FS=ext4 skips it"
  command -v mkfs.xfs >/dev/null || die "the XFS part needs mkfs.xfs (apt-get install xfsprogs); CKPT_BENCH_FS=ext4 skips it"
  command -v losetup >/dev/null || die "the XFS part needs losetup (util-linux)"
fi

# the temporary directory: on ext4, on the repo's file system unless told otherwise
fstype() { df -P -T "$1" | awk 'NR == 2 { print $2 }'; }
if [[ -n "${CKPT_BENCH_TMPDIR:-}" ]]; then
  base="$CKPT_BENCH_TMPDIR"
elif [[ -n "${TMPDIR:-}" && -d "${TMPDIR:-}" && $(fstype "$TMPDIR") == ext4 ]]; then
  base="$TMPDIR"
else
  base="$(dirname "$root")"
fi
tmp="$(mktemp -d "$base/ckpt-clone-bench.XXXXXX")"
mnt="" loopdev="" img=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$mnt" ]] && mountpoint -q "$mnt"; then
    sync
    umount "$mnt" 2>/dev/null || { sleep 1; umount "$mnt"; } || umount -l "$mnt"
  fi
  [[ -n "$loopdev" ]] && losetup -d "$loopdev" 2>/dev/null
  [[ -n "$img" ]] && rm -f "$img"
  if [[ "${CKPT_BENCH_KEEP:-0}" == 1 ]]; then
    echo "keeping $tmp"
  else
    [[ -n "$mnt" ]] && mountpoint -q "$mnt" && { echo "clone-bench.sh: $mnt is still mounted; not deleting $tmp" >&2; exit "$rc"; }
    rm -rf --one-file-system "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$SECONDS

# rough space: ext4 holds the input, the kept ckpt outputs (5) and one in flight; the XFS image
# (sparse, on the same disk) holds the input, the kept compact output and one in flight
need_kb=$(( size_mb * 1000 * 75 / 10 + 1024 * 1024 ))
avail_kb=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
(( avail_kb > need_kb )) || die "$tmp has $((avail_kb / 1024)) MiB free, needs about $((need_kb / 1024)) MiB"

echo "== build (core, it; no tests)"
cp_file=it/target/bench.classpath
if [[ "${CKPT_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  "$MVN" -o -q -B "${mvn_args[@]}" -Dstyle.color=never -pl it -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
fi
[[ -s "$cp_file" && -f it/target/classes/dev/ckpt/bench/RenameKeysRewrite.class ]] \
  || die "build did not produce $cp_file / RenameKeysRewrite"
classpath="$root/it/target/classes:$(cat "$cp_file")"

echo "== machine"
facts="$tmp/facts"
{
  echo "- nproc: $(nproc); kernel: $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "- memory: $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available, %d MiB buff/cache", $2, $7, $6 }'); swap: $(free -m | awk '/^Swap:/ { print $2 " MiB" }')"
  echo "- JDK 17: $("$JAVA17" -version 2>&1 | sed -n 2p)"
  echo "- JDK 25: $("$JAVA25" -version 2>&1 | sed -n 2p)"
  echo "- python: $("$PY" -c 'import sys, torch; print("%s, torch %s" % (sys.version.split()[0], torch.__version__))')"
  echo "- $(cp --version | head -1); $(mkfs.xfs -V 2>/dev/null || echo 'no mkfs.xfs')"
} >"$facts"
cat "$facts"

# used bytes of the file system at $1, after sync, once two readings 0.2 s apart agree (XFS frees
# the blocks of a deleted file in a background worker, after the unlink and even after sync)
settled_used() {
  local a b i
  sync
  a=$(df -B1 --output=used "$1" | tail -1 | tr -d ' ')
  for ((i = 0; i < 150; i++)); do
    sleep 0.2
    sync
    b=$(df -B1 --output=used "$1" | tail -1 | tr -d ' ')
    [[ $a == "$b" ]] && break
    a=$b
  done
  echo "$a"
}

# run FS DIR NAME ROUND KEEP CMD...: times CMD, which writes DIR/out-NAME.ckpt; appends to $tmp/results
#   "fs name round wall rss status open_ms rw_ms taken method written dead growth growth_trimmed"
run() {
  local fs=$1 dir=$2 name=$3 round=$4 keep=$5; shift 5
  local out="$dir/out-$name.ckpt" log="$tmp/$fs.$name.$round.log" err="$tmp/$fs.$name.$round.err" tv="$tmp/$fs.$name.$round.time"
  rm -f "$out"
  local before="" growth=- trimmed=-
  if [[ $fs == xfs ]]; then before=$(settled_used "$dir"); fi
  local status=0 t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tv" "$@" >"$log" 2>"$err" || status=$?
  t1=$(date +%s%N)
  local wall rss  # wall from the clock around it: /usr/bin/time -v prints 10 ms steps, and a clone takes less
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
  local open_ms=- rw_ms=- taken=- method=- written=- dead=-
  if grep -q '^renamed .* rename+write' "$log"; then
    read -r open_ms rw_ms < <(sed -n 's/.*; open \([0-9]*\) ms, rename+write \([0-9]*\) ms;.*/\1 \2/p' "$log")
    read -r taken method written dead < <(sed -n 's/^size [0-9]* bytes; taken over \([0-9]*\) bytes (\([^)]*\)); written \([0-9]*\) bytes; dead \([0-9]*\) bytes$/\1 \2 \3 \4/p' "$log")
  fi
  if [[ $fs == xfs && $status == 0 ]]; then
    growth=$(( $(settled_used "$dir") - before ))
    if command -v xfs_spaceman >/dev/null && xfs_spaceman -c 'prealloc -s' "$dir" >/dev/null 2>&1; then
      trimmed=$(( $(settled_used "$dir") - before ))
    fi
  fi
  if [[ $keep == 1 && $status == 0 ]]; then
    mv "$out" "$dir/kept-$name.ckpt"
  else
    rm -f "$out"
  fi
  sync
  # XFS updates the shared extents' reference counts of a deleted clone in background workers that df does not
  # show; without a pause the next run shares the CPU with them (120 ms more "beyond the pickle" in a 2 GB run)
  if [[ $fs == xfs ]]; then sleep "${CKPT_BENCH_SETTLE:-3}"; fi
  echo "$fs $name $round $wall $rss $status $open_ms $rw_ms $taken $method $written $dead $growth $trimmed" >>"$tmp/results"
  printf '  %-15s round %s: %7.3f s  %7.1f MB peak RSS  exit %s' "$name" "$round" "$wall" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" "$status"
  [[ $open_ms != - ]] && printf '  (open %s ms, rename+write %s ms, %s)' "$open_ms" "$rw_ms" "$method"
  [[ $growth != - ]] && printf '  df +%s B' "$growth"
  [[ $trimmed != - ]] && printf ' (+%s B after trim)' "$trimmed"
  echo
  if [[ $status != 0 ]]; then
    echo "!! $fs $name failed (exit $status):" >&2
    sed 's/^/    | /' "$log" "$err" | tail -20 >&2
    echo "$fs $name round $round: exit $status" >>"$tmp/failures"
  elif [[ -s "$err" ]] && grep -qv '^$' "$err"; then
    sed 's/^/    stderr| /' "$err" | head -5
  fi
  return 0
}

ckpt_cmd() {  # ckpt_cmd JDK IN OUT [options...]: the java command line of one driver run
  local jdk=$1 in=$2 out=$3; shift 3
  local java opts=()
  if [[ $jdk == 25 ]]; then java=$JAVA25; read -r -a opts <<<"$JAVA25_OPTS"; else java=$JAVA17; fi
  local props=() args=()
  for o in "$@"; do if [[ $o == -D* ]]; then props+=("$o"); else args+=("$o"); fi; done
  echo "$java" "${opts[@]}" "${props[@]}" -Xmx$HEAP -XX:+ExitOnOutOfMemoryError -cp "$classpath" \
    dev.ckpt.bench.RenameKeysRewrite "$in" "$out" "${args[@]}"
}

round() {  # round FS DIR R KEEP
  local fs=$1 dir=$2 r=$3 keep=$4 in="$2/in.ckpt"
  run "$fs" "$dir" cp "$r" 0 cp "$in" "$dir/out-cp.ckpt"
  run "$fs" "$dir" cp-sync "$r" 0 sh -c 'cp "$1" "$2" && sync "$2"' sh "$in" "$dir/out-cp-sync.ckpt"
  local -a c
  read -r -a c < <(ckpt_cmd 17 "$in" "$dir/out-ckpt17.ckpt");                               run "$fs" "$dir" ckpt17 "$r" "$keep" "${c[@]}"
  read -r -a c < <(ckpt_cmd 25 "$in" "$dir/out-ckpt25.ckpt");                               run "$fs" "$dir" ckpt25 "$r" "$keep" "${c[@]}"
  read -r -a c < <(ckpt_cmd 17 "$in" "$dir/out-ckpt17-jdkcopy.ckpt" -Dckpt.copy=jdk);       run "$fs" "$dir" ckpt17-jdkcopy "$r" "$keep" "${c[@]}"
  read -r -a c < <(ckpt_cmd 25 "$in" "$dir/out-ckpt25-jdkcopy.ckpt" -Dckpt.copy=jdk);       run "$fs" "$dir" ckpt25-jdkcopy "$r" "$keep" "${c[@]}"
  read -r -a c < <(ckpt_cmd 17 "$in" "$dir/out-ckpt17-compact.ckpt" --compact);             run "$fs" "$dir" ckpt17-compact "$r" "$keep" "${c[@]}"
  run "$fs" "$dir" python "$r" 0 "$PY" it/bench/python_reference_rewrite.py "$in" "$dir/out-python.ckpt"
}
# (the class path has no spaces: it is the repo's and the Maven repository's jars)
[[ "$classpath" != *" "* ]] || die "the class path has a space in it: $classpath"

: >"$tmp/results"
: >"$tmp/checks"
: >"$tmp/fsinfo"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for fs in $filesystems; do
  if [[ $fs == ext4 ]]; then
    dir="$tmp/ext4"
    mkdir "$dir"
    echo "== ext4: $dir"
    echo "ext4 $(fstype "$dir") $(findmnt -n -o SOURCE,OPTIONS -T "$dir" | tr ' ' ';')" >>"$tmp/fsinfo"
  else
    img="$tmp/xfs.img"
    mnt="$tmp/xfs"
    mkdir "$mnt"
    img_mb=$(( size_mb * 33 / 10 + 1536 ))
    truncate -s "${img_mb}M" "$img"
    mkfs.xfs -q -f -m reflink=1 "$img"
    dio=on
    loopdev=$(losetup --direct-io=on -f --show "$img" 2>/dev/null) || { dio=off; loopdev=$(losetup -f --show "$img"); }
    [[ $dio == on && $(cat "/sys/block/$(basename "$loopdev")/loop/dio" 2>/dev/null) != 1 ]] && dio="off (the kernel refused)"
    mount "$loopdev" "$mnt"
    dir="$mnt"
    [[ $(stat -f -c %T "$dir") == xfs ]] || die "$mnt is not XFS after mounting"
    xfs_info "$mnt" | grep -q 'reflink=1' || die "$mnt was not made with reflink=1"
    echo "== xfs: ${img_mb} MiB image $img on $loopdev (direct I/O on the backing file: $dio), mounted at $mnt, reflink=1"
    echo "xfs xfs ${loopdev};dio=${dio// /_};image=${img_mb}MiB;$(findmnt -n -o OPTIONS "$mnt")" >>"$tmp/fsinfo"
  fi
  echo "== $fs: checkpoint (${size_mb} MB), synced (at rest, pages clean: in the page cache, not dirty; the cache is never dropped)"
  "$PY" it/bench/make_big_checkpoint.py "$dir/in.ckpt" "$size_mb"
  sync "$dir/in.ckpt"; sync
  echo "$fs $(stat -c %s "$dir/in.ckpt")" >>"$tmp/insize"
  for ((r = 1; r <= repeat; r++)); do
    echo "== $fs: round $r of $repeat"
    round "$fs" "$dir" "$r" $(( r == repeat ? 1 : 0 ))
  done
  echo "== $fs: check one output of each ckpt variant with torch ($("$PY" -c 'import torch; print(torch.__version__)'))"
  kept=()
  for n in ckpt17 ckpt25 ckpt17-jdkcopy ckpt25-jdkcopy ckpt17-compact; do
    [[ -f "$dir/kept-$n.ckpt" ]] && kept+=("$dir/kept-$n.ckpt")
  done
  if (( ${#kept[@]} )); then
    if "$PY" it/bench/check_clone_output.py "$dir/in.ckpt" "${kept[@]}" >"$tmp/$fs.check" 2>&1; then cs=0; else cs=$?; fi
    sed 's/^/  /' "$tmp/$fs.check"
    for n in ckpt17 ckpt25 ckpt17-jdkcopy ckpt25-jdkcopy ckpt17-compact; do
      ok=$(grep -c "^CHECK OK $dir/kept-$n.ckpt " "$tmp/$fs.check" || true)
      bad=$(grep -c "^CHECK FAILED $dir/kept-$n.ckpt " "$tmp/$fs.check" || true)
      echo "$fs $n $ok $bad" >>"$tmp/checks"
    done
    (( cs == 0 )) || echo "$fs: check_clone_output.py exit $cs" >>"$tmp/failures"
  fi
  rm -f "${kept[@]}"
  if [[ $fs == xfs ]]; then
    rm -f "$dir/in.ckpt"
    sync
    umount "$mnt"
    losetup -d "$loopdev" 2>/dev/null || true
    rm -f "$img"
    mnt="" loopdev="" img=""
  else
    rm -rf "$dir"
    sync
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "## Results: ${size_mb} MB checkpoint, median of $repeat round(s)"
echo
cat "$facts"
echo "- load average (1, 5, 15 min): $load_before before, $load_after after"
echo "- cache: the input is made, synced and left in the page cache (clean); nothing drops the cache"
"$PY" - "$tmp/results" "$tmp/insize" "$tmp/fsinfo" "$tmp/checks" "$HEAP" <<'EOF'
import statistics, sys
results, insize, fsinfo, checks, heap = sys.argv[1:6]
runs = {}
for line in open(results):
    f = line.split()
    fs, name, status = f[0], f[1], f[5]
    if status != "0":
        continue
    num = lambda s: None if s == "-" else float(s)
    runs.setdefault((fs, name), []).append(dict(
        wall=float(f[3]), rss=int(f[4]), open=num(f[6]), rw=num(f[7]), taken=num(f[8]), method=f[9],
        written=num(f[10]), dead=num(f[11]), growth=num(f[12]), trimmed=num(f[13])))
sizes = dict(l.split() for l in open(insize))
info = {l.split()[0]: l.split()[1:] for l in open(fsinfo)}
checked = {(l.split()[0], l.split()[1]): (int(l.split()[2]), int(l.split()[3])) for l in open(checks)}

rows = [("cp", "cp IN OUT"), ("cp-sync", "cp IN OUT && sync OUT"),
        ("ckpt17", "ckpt, JDK 17"), ("ckpt25", "ckpt, JDK 25"),
        ("ckpt17-jdkcopy", "ckpt, JDK 17, -Dckpt.copy=jdk"), ("ckpt25-jdkcopy", "ckpt, JDK 25, -Dckpt.copy=jdk"),
        ("ckpt17-compact", "ckpt --compact, JDK 17"), ("python", "python: load+deepcopy+save")]

def med(fs, name, key):
    vals = [r[key] for r in runs.get((fs, name), []) if r[key] is not None]
    return statistics.median(vals) if vals else None

def last(fs, name, key):
    rs = runs.get((fs, name), [])
    return rs[-1][key] if rs else None

def i(v):
    return "?" if v is None else "%d" % v

MB = 1e6
fss = [fs for fs in ("ext4", "xfs") if fs in info]
for fs in fss:
    t, where = info[fs][0], info[fs][1].replace(";", " ")
    print()
    print("### %s (df -T: %s; %s)" % (fs, t, where))
    print()
    print("checkpoint %s bytes. Medians; peak RSS is the largest; df growth is the median used-bytes growth"
          " after sync (then after xfs_spaceman prealloc -s). MB = 10^6 bytes. ckpt runs use -Xmx%s." % (sizes[fs], heap))
    print()
    base = med(fs, "cp-sync", "wall")
    print("| %-30s | %8s | %10s | %16s | %22s | %11s |" % ("approach", "median s", "vs cp+sync", "beyond-pickle ms", "df growth MB (trimmed)", "peak RSS MB"))
    print("|%s|%s|%s|%s|%s|%s|" % ("-" * 32, "-" * 9 + ":", "-" * 11 + ":", "-" * 17 + ":", "-" * 23 + ":", "-" * 12 + ":"))
    for name, label in rows:
        w = med(fs, name, "wall")
        if w is None:
            print("| %-30s | %8s | %10s | %16s | %22s | %11s |" % (label, "failed", "", "", "", ""))
            continue
        rw = med(fs, name, "rw")
        g, gt = med(fs, name, "growth"), med(fs, name, "trimmed")
        growth = "—" if g is None else ("%.2f" % (g / MB) + ("" if gt is None else " (%.2f)" % (gt / MB)))
        rss = max(r["rss"] for r in runs[(fs, name)]) / 1024
        print("| %-30s | %8.3f | %9.2fx | %16s | %22s | %11.1f |" % (
            label, w, w / base if base else float("nan"), "—" if rw is None else "%d" % rw, growth, rss))
    print()
    print("ckpt driver figures (medians of the ms; bytes of the last round):")
    print()
    print("| %-30s | %7s | %15s | %15s | %-15s | %15s | %10s | %-14s |" % (
        "variant", "open ms", "rename+write ms", "taken over B", "method", "written anew B", "dead B", "torch check"))
    print("|%s|%s|%s|%s|%s|%s|%s|%s|" % ("-" * 32, "-" * 8 + ":", "-" * 16 + ":", "-" * 16 + ":", "-" * 17, "-" * 16 + ":", "-" * 11 + ":", "-" * 16))
    for name, label in rows:
        if not name.startswith("ckpt") or (fs, name) not in runs:
            continue
        ok, bad = checked.get((fs, name), (0, 0))
        verdict = "not checked" if ok + bad == 0 else ("%d/%d loaders OK" % (ok, ok + bad) if bad == 0 else "FAILED %d/%d" % (bad, ok + bad))
        print("| %-30s | %7s | %15s | %15s | %-15s | %15s | %10s | %-14s |" % (
            label, i(med(fs, name, "open")), i(med(fs, name, "rw")), i(last(fs, name, "taken")), last(fs, name, "method"),
            i(last(fs, name, "written")), i(last(fs, name, "dead")), verdict))

print()
print("### Checks")
print()
def verdict(ok):
    return "met" if ok else "NOT met"
if "ext4" in info:
    base = med("ext4", "cp-sync", "wall")
    for name, jdk in (("ckpt17", "17"), ("ckpt25", "25")):
        w = med("ext4", name, "wall")
        if w is None or base is None:
            print("- ext4, JDK %s: ckpt <= 1.05x (cp+sync): no figures (run failed)" % jdk)
            continue
        print("- ext4, JDK %s: ckpt %.3f s = %.2fx (cp+sync) %.3f s; goal <= 1.05x: %s"
              % (jdk, w, w / base, base, verdict(w / base <= 1.05)))
if "xfs" in info:
    slack = 4 * 2**20  # "a few MB": 4 KiB blocks, the log, btree blocks
    for name, jdk, goal in (("ckpt25", "25", True), ("ckpt17", "17", False), ("ckpt25-jdkcopy", "25, -Dckpt.copy=jdk", False)):
        rw, g, gt, wr = med("xfs", name, "rw"), med("xfs", name, "growth"), med("xfs", name, "trimmed"), last("xfs", name, "written")
        if rw is None or g is None or wr is None:
            print("- XFS, JDK %s: no figures (run failed)" % jdk)
            continue
        tag = "" if goal else " (beside it)"
        print("- XFS, JDK %s%s: rename+write %d ms beyond reading the pickle (open %d ms); goal <= 300 ms: %s"
              % (jdk, tag, rw, med("xfs", name, "open"), verdict(rw <= 300)))
        trimmed = "" if gt is None else "; after trimming speculative preallocation %.2f MB (%s)" % (gt / MB, verdict(gt <= wr + slack))
        print("  - df growth %.2f MB, written anew %.2f MB; goal growth <= written anew + %d MiB: %s%s"
              % (g / MB, wr / MB, slack >> 20, verdict(g <= wr + slack), trimmed))
for fs in fss:
    py = med(fs, "python", "wall")
    parts = []
    for name, jdk in (("ckpt17", "JDK 17"), ("ckpt25", "JDK 25"), ("ckpt17-compact", "JDK 17 --compact")):
        w = med(fs, name, "wall")
        if py and w:
            parts.append("%s %.1fx" % (jdk, py / w))
    print("- %s: python / ckpt: %s (python %s s)" % (fs, ", ".join(parts) or "no figures", "%.2f" % py if py else "failed"))
bad = [(fs, n) for (fs, n), (ok, b) in checked.items() if b]
print("- torch check of the outputs: %s" % ("every loader mode loaded every checked output with the renamed keys and equal tensors"
      if checked and not bad else "FAILED for " + ", ".join("%s %s" % x for x in bad) if bad else "nothing checked"))
EOF
if [[ -s "$tmp/failures" ]]; then
  echo
  echo "!! FAILURES:"
  sed 's/^/!!   /' "$tmp/failures"
  echo "(total $((SECONDS - start)) s)"
  exit 1
fi
echo "(total $((SECONDS - start)) s)"
