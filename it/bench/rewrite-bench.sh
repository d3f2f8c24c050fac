#!/usr/bin/env bash
# Checkpoint rewrite speed and memory (issue 3): ckpt's streaming rewrite beside `cp` and
# the torch.load / deepcopy / torch.save way, on one big Lightning-style checkpoint.
#
# Usage (from the repo root):  it/bench/rewrite-bench.sh [SIZE_MB]
#   SIZE_MB defaults to 2048;  it/bench/rewrite-bench.sh 1100  is the quick >= 1 GiB memory proof.
#
# Steps: builds core + it (no tests) and writes the runtime class path, generates the
# checkpoint with real torch (it/bench/make_big_checkpoint.py) in a temporary directory
# (outputs go beside it, on the same file system), then, for each of CKPT_BENCH_REPEAT rounds,
# times with /usr/bin/time -v (wall clock, peak RSS):
#   cp           cp IN OUT
#   cp + fsync   cp IN OUT && sync OUT        (ckpt fsyncs its output; cp alone does not)
#   ckpt         java -Xmx64m ... dev.ckpt.bench.RenameKeysRewrite IN OUT
#   python       it/bench/python_reference_rewrite.py IN OUT   (torch.load, deepcopy, rename, torch.save)
# Cache: as root, `sync; echo 3 > /proc/sys/vm/drop_caches` before every timed run (cold);
# where that is not permitted, every approach runs once untimed first and is then timed (warm).
# The table shows the median over the rounds and the largest peak RSS.
# Then checks with torch that both outputs load, hold the renamed keys in order and the
# same tensors as the input (state_dict and optimizer state, every tensor compared).
#
# The ckpt run is also the memory proof: a checkpoint of >= 1 GiB rewritten within a 64 MB
# heap. If that run fails (e.g. OutOfMemoryError) the script stops with an error.
#
# Environment: CKPT_PYTHON (default /usr/bin/python3, which has torch),
#              JAVA (default $JAVA_HOME/bin/java or java), MVN (default mvn),
#              CKPT_BENCH_REPEAT rounds (default 3), CKPT_BENCH_CACHE=warm skips dropping the cache,
#              CKPT_BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f pom.xml && -d it && -d core ]] || { echo "rewrite-bench.sh: $root is not the ckpt repo root" >&2; exit 1; }

size_mb="${1:-2048}"
[[ "$size_mb" =~ ^[0-9]+$ && "$size_mb" -ge 1 ]] || { echo "usage: it/bench/rewrite-bench.sh [SIZE_MB]" >&2; exit 2; }
repeat="${CKPT_BENCH_REPEAT:-3}"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "rewrite-bench.sh: CKPT_BENCH_REPEAT must be a positive integer" >&2; exit 2; }
PY="${CKPT_PYTHON:-/usr/bin/python3}"
MVN="${MVN:-mvn}"
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
HEAP=64m

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "== /usr/bin/time is missing: installing the Debian package 'time' with apt-get"
    apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  fi
  [[ -x /usr/bin/time ]] || { echo "rewrite-bench.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ckpt-rewrite-bench.XXXXXX")"
if [[ "${CKPT_BENCH_KEEP:-0}" == 1 ]]; then
  echo "keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
start=$SECONDS

# input + two kept outputs + one in flight, with some room
need_kb=$(( size_mb * 1000 * 45 / 10 ))
avail_kb=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
(( avail_kb > need_kb )) || { echo "rewrite-bench.sh: $tmp has $((avail_kb / 1024)) MiB free, needs about $((need_kb / 1024)) MiB" >&2; exit 1; }

echo "== build (core, it; no tests)"
"$MVN" -q -B -Dstyle.color=never -pl it -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
cp_file=it/target/bench.classpath
[[ -s "$cp_file" && -f it/target/classes/dev/ckpt/bench/RenameKeysRewrite.class ]] \
  || { echo "rewrite-bench.sh: build did not produce $cp_file / RenameKeysRewrite" >&2; exit 1; }
classpath="$root/it/target/classes:$(cat "$cp_file")"

echo "== checkpoint (${size_mb} MB)"
in="$tmp/in.ckpt"
"$PY" it/bench/make_big_checkpoint.py "$in" "$size_mb"
in_bytes=$(stat -c %s "$in")

if [[ "${CKPT_BENCH_CACHE:-cold}" != warm ]] && (sync && echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
  cache=cold
  echo "== cache: cold (page cache dropped before every timed run)"
else
  cache=warm
  echo "== cache: warm (drop_caches not permitted or CKPT_BENCH_CACHE=warm: each approach runs once untimed, then is timed)"
fi

# run NAME ROUND CMD...: times CMD writing $tmp/out-NAME.ckpt; records "NAME ROUND seconds rss_kb status"
run() {
  local name=$1 round=$2; shift 2
  local out="$tmp/out-$name.ckpt" log="$tmp/$name.$round.log" tv="$tmp/$name.$round.time"
  rm -f "$out"
  if [[ $cache == cold ]]; then
    sync; echo 3 > /proc/sys/vm/drop_caches
  fi
  local status=0
  /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1 || status=$?
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tv")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
  echo "$name $round $wall $rss $status" >>"$tmp/results"
  printf '  %-12s round %s: %6.2f s  %7.1f MB peak RSS  exit %s\n' "$name" "$round" "$wall" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$status"
  if [[ $status != 0 ]]; then
    sed 's/^/    | /' "$log" | tail -20
  elif grep -q 'elapsed' "$log"; then
    grep 'elapsed' "$log" | tail -1 | sed 's/^/      /'   # the driver's own phase times
  fi
  return "$status"
}

round() {
  local r=$1
  run cp "$r" cp "$in" "$tmp/out-cp.ckpt"
  run cp-fsync "$r" sh -c 'cp "$1" "$2" && sync "$2"' sh "$in" "$tmp/out-cp-fsync.ckpt"
  if ! run ckpt "$r" "$JAVA" -Xmx$HEAP -XX:+ExitOnOutOfMemoryError -cp "$classpath" dev.ckpt.bench.RenameKeysRewrite "$in" "$tmp/out-ckpt.ckpt"; then
    echo >&2
    echo "!! FAILED: ckpt could not rewrite a $in_bytes-byte checkpoint with -Xmx$HEAP (see the log above)." >&2
    echo "!! The streaming rewrite is supposed to keep tensor bytes out of the heap." >&2
    exit 1
  fi
  run python "$r" "$PY" it/bench/python_reference_rewrite.py "$in" "$tmp/out-python.ckpt" \
    || { echo "rewrite-bench.sh: the Python reference failed" >&2; exit 1; }
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$tmp/results"
if [[ $cache == warm ]]; then
  echo "== warm-up round (untimed)"
  round 0 >/dev/null
  : >"$tmp/results"
fi
for ((r = 1; r <= repeat; r++)); do
  echo "== round $r of $repeat"
  round "$r"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$tmp/out-cp.ckpt" "$tmp/out-cp-fsync.ckpt"

echo "== verify the outputs with torch"
"$PY" - "$in" "$tmp/out-ckpt.ckpt" "$tmp/out-python.ckpt" <<'EOF'
import gc, sys, torch
FROM, TO = "model.encoder.", "model.backbone."
def rename(k):
    return TO + k[len(FROM):] if isinstance(k, str) and k.startswith(FROM) else k
src = torch.load(sys.argv[1], map_location="cpu")
want = [rename(k) for k in src["state_dict"]]
want_meta = [rename(k) for k in src["state_dict"]._metadata]
assert sum(k.startswith(FROM) for k in src["state_dict"]) > 100, "input has too few model.encoder. keys"
for label, path in (("ckpt", sys.argv[2]), ("python", sys.argv[3])):
    out = torch.load(path, map_location="cpu")
    sd = out["state_dict"]
    assert list(sd) == want, "%s: state_dict keys are not the renamed input keys" % label
    assert list(sd._metadata) == want_meta, "%s: _metadata keys are not the renamed input keys" % label
    n = 0
    for k, v in src["state_dict"].items():
        w = sd[rename(k)]
        assert w.dtype == v.dtype and w.shape == v.shape and w.stride() == v.stride() and torch.equal(w, v), \
            "%s: tensor %s differs" % (label, k)
        n += 1
    so, oo = src["optimizer_states"][0], out["optimizer_states"][0]
    assert so["param_groups"] == oo["param_groups"], "%s: optimizer param_groups differ" % label
    assert list(so["state"]) == list(oo["state"]), "%s: optimizer state keys differ" % label
    for i, st in so["state"].items():
        for name, v in st.items():
            assert torch.equal(oo["state"][i][name], v), "%s: optimizer state %s.%s differs" % (label, i, name)
            n += 1
    rest = [k for k in src if k not in ("state_dict", "optimizer_states")]
    assert [k for k in out if k not in ("state_dict", "optimizer_states")] == rest, "%s: top-level keys differ" % label
    assert out["hyper_parameters"] == src["hyper_parameters"], "%s: hyper_parameters differ" % label
    print("  %-6s loads in torch %s: %d state_dict keys renamed in order, %d tensors equal to the input's"
          % (label, torch.__version__, len(want), n))
    del out, sd, oo
    gc.collect()
EOF

echo
"$PY" - "$tmp/results" "$in_bytes" "$cache" "$repeat" "$load_before" "$load_after" "$HEAP" <<'EOF'
import statistics, sys
results, in_bytes, cache, repeat, load_before, load_after, heap = sys.argv[1:8]
runs = {}
for line in open(results):
    name, rnd, wall, rss, status = line.split()
    runs.setdefault(name, []).append((float(wall), int(rss)))
rows = [("cp", "cp IN OUT"), ("cp-fsync", "cp IN OUT && sync OUT"),
        ("ckpt", "ckpt RenameKeysRewrite, -Xmx" + heap), ("python", "torch.load+deepcopy+save")]
med = {n: statistics.median(w for w, _ in runs[n]) for n, _ in rows}
rss = {n: max(r for _, r in runs[n]) / 1024 for n, _ in rows}
print("checkpoint: %d bytes (%.2f GiB); cache: %s; median of %s round(s), largest peak RSS; load average %s -> %s"
      % (int(in_bytes), int(in_bytes) / 2**30, cache, repeat, load_before, load_after))
print("| %-38s | %9s | %13s | %8s |" % ("approach", "seconds", "peak RSS MB", "vs cp"))
print("|%s|%s|%s|%s|" % ("-" * 40, "-" * 10 + ":", "-" * 14 + ":", "-" * 9 + ":"))
for n, label in rows:
    print("| %-38s | %9.2f | %13.1f | %7.2fx |" % (label, med[n], rss[n], med[n] / med["cp"]))
ours, py = med["ckpt"], med["python"]
print()
print("python / ckpt: %.1fx   (goal >= 10x: %s)" % (py / ours, "met" if py / ours >= 10 else "NOT met"))
print("ckpt / cp:     %.2fx   (goal <= 1.3x: %s);  ckpt / (cp + fsync): %.2fx"
      % (ours / med["cp"], "met" if ours / med["cp"] <= 1.3 else "NOT met", ours / med["cp-fsync"]))
if int(in_bytes) >= 2**30:
    print("memory: a %.2f GiB checkpoint rewritten with -Xmx%s, peak RSS %.0f MB: OK"
          % (int(in_bytes) / 2**30, heap, rss["ckpt"]))
else:
    print("memory: the checkpoint is under 1 GiB, so this run is no memory proof (use SIZE_MB >= 1100)")
EOF
echo "(total $((SECONDS - start)) s)"
