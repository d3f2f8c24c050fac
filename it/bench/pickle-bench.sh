#!/usr/bin/env bash
# Pickle engine throughput, ckpt (JMH) beside CPython's C pickle, on the same torch data.pkl.
#
# Usage (from the repo root):  it/bench/pickle-bench.sh [extra JMH options...]
#   e.g.  it/bench/pickle-bench.sh -wi 1 -i 2        (quicker, noisier)
#
# Steps: builds core + it (no tests), writes the test class path, generates a
# Lightning-style training checkpoint with real torch and keeps its data.pkl,
# runs PickleBenchmark (read / write / readWrite) with JMH, runs
# it/bench/pickle_cpython.py on the same bytes, and prints a table.
# MB/s means 10^6 bytes of the *input* data.pkl per second, for every operation
# on both sides.
#
# Environment: CKPT_PYTHON (default /usr/bin/python3, which has torch),
#              JAVA (default $JAVA_HOME/bin/java or java), MVN (default mvn),
#              CKPT_BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f pom.xml && -d it && -d core ]] || { echo "pickle-bench.sh: $root is not the ckpt repo root" >&2; exit 1; }

PY="${CKPT_PYTHON:-/usr/bin/python3}"
MVN="${MVN:-mvn}"
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ckpt-pickle-bench.XXXXXX")"
if [[ "${CKPT_BENCH_KEEP:-0}" == 1 ]]; then
  echo "keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
start=$SECONDS

echo "== build (core, it; no tests)"
"$MVN" -q -B -Dstyle.color=never -pl it -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
cp_file=it/target/bench.classpath
[[ -s "$cp_file" && -f it/target/classes/META-INF/BenchmarkList ]] \
  || { echo "pickle-bench.sh: build did not produce $cp_file / JMH BenchmarkList" >&2; exit 1; }
classpath="$root/it/target/classes:$(cat "$cp_file")"

echo "== data.pkl"
"$PY" it/bench/make_training_pickle.py "$tmp/data.pkl"

echo "== ckpt (JMH)"
"$JAVA" -cp "$classpath" org.openjdk.jmh.Main '^dev\.ckpt\.bench\.PickleBenchmark\.' \
  -p path="$tmp/data.pkl" -rf json -rff "$tmp/jmh.json" "$@" | tee "$tmp/jmh.log"

echo "== CPython (_pickle)"
"$PY" it/bench/pickle_cpython.py "$tmp/data.pkl" --json "$tmp/cpython.json"

echo
"$PY" - "$tmp/data.pkl" "$tmp/jmh.json" "$tmp/cpython.json" <<'EOF'
import json, os, sys
data, jmh_file, cpy_file = sys.argv[1:4]
size = os.path.getsize(data)
jmh = json.load(open(jmh_file))
cpy = json.load(open(cpy_file))
unit_s = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}
ours = {}
for r in jmh:
    op = r["benchmark"].rsplit(".", 1)[1]
    m = r["primaryMetric"]
    if r.get("mode") != "avgt" or m["scoreUnit"] not in unit_s:
        sys.exit("unexpected JMH result %s %s %s" % (op, r.get("mode"), m["scoreUnit"]))
    s = m["score"] * unit_s[m["scoreUnit"]]
    err = m.get("scoreError")
    err = err * unit_s[m["scoreUnit"]] if isinstance(err, (int, float)) and err == err else 0.0
    ours[{"readWrite": "read+write"}.get(op, op)] = (size / s / 1e6, s * 1e6, err * 1e6)
print("data.pkl: %d bytes; MB/s = 10^6 input pickle bytes per second; "
      "ckpt = JMH mean, CPython %s = median" % (size, cpy["python"]))
print("%-11s %18s %14s %9s" % ("operation", "ckpt MB/s", "CPython MB/s", "ratio"))
for op in ("read", "write", "read+write"):
    o = ours.get(op)
    c = cpy["ops"].get(op, {}).get("median_mb_s")
    print("%-11s %18s %14s %9s" % (
        op,
        ("%.1f" % o[0] + (" ± %.1f" % (o[0] * o[2] / o[1]) if o[2] else "")) if o else "-",
        "%.1f" % c if c else "-",
        "%.2fx" % (o[0] / c) if o and c else "-"))
EOF
echo "(total $((SECONDS - start)) s)"
