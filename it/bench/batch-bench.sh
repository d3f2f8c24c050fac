#!/usr/bin/env bash
# Many small checkpoints migrated in one Maven run (checkpoint-maven-plugin's apply goal, all
# threads) beside the Python way (one process looping torch.load + rename + torch.save) and the
# disk's own speed (cp -r + sync), in one run.
#
# Usage (from anywhere):  it/bench/batch-bench.sh [COUNT] [SIZE_MB]      (defaults 200 and 5)
#
# Steps: installs core and the plugin into the local Maven repository (mvn -o -q install
# -DskipTests at the repo root), makes one checkpoint of SIZE_MB with it/bench/make_big_checkpoint.py
# (torch 2.13) and copies it COUNT times into a template directory (same content in every file),
# then generates a small Maven project in the temporary directory whose one migration renames the
# state_dict keys model.encoder. -> model.backbone. (StateDict.renamePrefix; the plugin's
# <checkpoints> file set is checkpoints/*.ckpt, configured for the command line) and compiles it
# once, untimed, so every timed run finds the classes up to date. Each of CKPT_BENCH_REPEAT rounds
# then times, each on a fresh copy of the template (cp -r + sync, untimed; the cache is not dropped,
# so the inputs are in the page cache, clean):
#   cp -r + sync   cp -r TEMPLATE DIR && sync                          (the disk's throughput)
#   mvn            mvn -o -q -B compile checkpoint:apply -Dcheckpoint.threads=0 in the project
#                  (wall clock with Maven's start-up; threads=0 is one per processor; each file is
#                  rewritten atomically and fsynced, its original kept as a hard link in
#                  checkpoints/.ckpt-backups)
#   python         it/bench/python_batch_rewrite.py DIR                 (one process; no fsync)
# and after the last round checks the first, middle and last file of each approach with
# it/bench/check_clone_output.py (torch 2.13, every loader mode: keys renamed in order, every tensor
# equal to the input's; the migration records the plugin adds, top-level "migrations" and
# hyper_parameters.metadata, are allowed).
# Prints a markdown table of medians: approach | seconds | files/s | MB/s | vs cp -r+sync.
#
# Environment: CKPT_PYTHON (default .venv/torch2/bin/python under the repo root), MVN (default mvn),
#              MVN_ARGS extra arguments for every mvn call (e.g. -Dmaven.repo.local=/path; default
#              empty), MAVEN_REPO_LOCAL (if set, passed as -Dmaven.repo.local=...),
#              CKPT_BENCH_REPEAT rounds (default 3), CKPT_BENCH_THREADS (default 0: one per processor),
#              CKPT_BENCH_SKIP_INSTALL=1 skips the install, CKPT_BENCH_TMPDIR (default $TMPDIR or /tmp),
#              CKPT_BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f pom.xml && -d it && -d core && -d maven-plugin ]] || { echo "batch-bench.sh: $root is not the ckpt repo root" >&2; exit 1; }
die() { echo "batch-bench.sh: $*" >&2; exit 1; }

count="${1:-200}"
size_mb="${2:-5}"
[[ "$count" =~ ^[0-9]+$ && "$count" -ge 2 && "$size_mb" =~ ^[0-9]+$ && "$size_mb" -ge 1 ]] \
  || { echo "usage: it/bench/batch-bench.sh [COUNT >= 2] [SIZE_MB >= 1]" >&2; exit 2; }
repeat="${CKPT_BENCH_REPEAT:-3}"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "CKPT_BENCH_REPEAT must be a positive integer"
threads="${CKPT_BENCH_THREADS:-0}"
[[ "$threads" =~ ^[0-9]+$ ]] || die "CKPT_BENCH_THREADS must be 0 (one per processor) or more"
PY="${CKPT_PYTHON:-$root/.venv/torch2/bin/python}"
[[ -x "$PY" ]] || die "no torch 2.x python at $PY (set CKPT_PYTHON to a python with torch >= 2.7)"
"$PY" -c 'import torch, sys; v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]); sys.exit(0 if v >= (2, 7) else 1)' \
  || die "$PY has no torch >= 2.7 (torch.utils.serialization.config is needed by check_clone_output.py)"
MVN="${MVN:-mvn}"
read -r -a mvn_args <<<"${MVN_ARGS:-}"
[[ -n "${MAVEN_REPO_LOCAL:-}" ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")

tmp="$(mktemp -d "${CKPT_BENCH_TMPDIR:-${TMPDIR:-/tmp}}/ckpt-batch-bench.XXXXXX")"
if [[ "${CKPT_BENCH_KEEP:-0}" == 1 ]]; then
  echo "keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi
start=$SECONDS

# the template, one copy in flight and the project's copy with its hard-linked backups, with room
need_kb=$(( count * size_mb * 1000 * 35 / 10 + 512 * 1024 ))
avail_kb=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
(( avail_kb > need_kb )) || die "$tmp has $((avail_kb / 1024)) MiB free, needs about $((need_kb / 1024)) MiB"

version=$("$PY" -c 'import sys, xml.etree.ElementTree as E; p = E.parse(sys.argv[1]).getroot(); print(p.find("{http://maven.apache.org/POM/4.0.0}version").text)' pom.xml)
[[ -n "$version" ]] || die "cannot read the project version from pom.xml"

if [[ "${CKPT_BENCH_SKIP_INSTALL:-0}" != 1 ]]; then
  echo "== install core and the plugin $version into the local repository (mvn -o -q install -DskipTests)"
  "$MVN" -o -q -B "${mvn_args[@]}" -Dstyle.color=never install -DskipTests
fi

echo "== machine"
facts="$tmp/facts"
{
  echo "- nproc: $(nproc); kernel: $(uname -r); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "- memory: $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }')"
  echo "- $("$MVN" -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^(Apache Maven|Java version)' | cut -d, -f1-2 | paste -sd ';' | sed 's/;/; /')"
  echo "- python: $("$PY" -c 'import sys, torch; print("%s, torch %s" % (sys.version.split()[0], torch.__version__))')"
  echo "- temporary directory: $tmp ($(df -P -T "$tmp" | awk 'NR == 2 { print $2 }'), $(findmnt -n -o SOURCE,OPTIONS -T "$tmp"))"
} >"$facts"
cat "$facts"

echo "== checkpoint (${size_mb} MB) x $count"
"$PY" it/bench/make_big_checkpoint.py "$tmp/one.ckpt" "$size_mb"
mkdir "$tmp/template"
for ((i = 1; i <= count; i++)); do
  cp "$tmp/one.ckpt" "$(printf '%s/template/epoch-%04d.ckpt' "$tmp" "$i")"
done
sync
one_bytes=$(stat -c %s "$tmp/one.ckpt")
total_bytes=$(( one_bytes * count ))

echo "== project: $tmp/project (com.example.bench, migration M1750000000_rename_encoder)"
proj="$tmp/project"
mkdir -p "$proj/src/main/java/com/example/bench/migrations"
cat >"$proj/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.bench</groupId>
  <artifactId>batch-bench</artifactId>
  <version>1.0.0</version>
  <description>batch-bench.sh: checkpoint:apply on $count checkpoints of $size_mb MB</description>

  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>

  <dependencies>
    <!-- The migration API the migration compiles against; the plugin brings its own at run time. -->
    <dependency>
      <groupId>dev.ckpt</groupId>
      <artifactId>ckpt-core</artifactId>
      <version>$version</version>
      <scope>provided</scope>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
      </plugin>
      <plugin>
        <groupId>dev.ckpt</groupId>
        <artifactId>checkpoint-maven-plugin</artifactId>
        <version>$version</version>
        <!-- plugin-level configuration: mvn compile checkpoint:apply (the default-cli execution) uses it -->
        <configuration>
          <checkpoints>
            <directory>checkpoints</directory>
            <includes>
              <include>*.ckpt</include>
            </includes>
          </checkpoints>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
EOF
cat >"$proj/src/main/java/com/example/bench/migrations/M1750000000_rename_encoder.java" <<'EOF'
package com.example.bench.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The encoder became the backbone. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1750000000_rename_encoder extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.encoder.", "model.backbone.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.backbone.", "model.encoder.");
    }
}
EOF
(cd "$proj" && "$MVN" -o -q -B "${mvn_args[@]}" -Dstyle.color=never compile) || die "the generated project does not compile"

fresh() {  # fresh DIR: DIR becomes a new copy of the template, synced
  rm -rf "$1"
  cp -r "$tmp/template" "$1"
  sync
}

# timed NAME ROUND CMD...: wall clock of CMD, appended to $tmp/results as "name round seconds status"
timed() {
  local name=$1 round=$2; shift 2
  local log="$tmp/$name.$round.log" status=0 t0 t1
  t0=$(date +%s%N)
  "$@" >"$log" 2>&1 || status=$?
  t1=$(date +%s%N)
  local s
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  echo "$name $round $s $status" >>"$tmp/results"
  printf '  %-10s round %s: %8.3f s  exit %s\n' "$name" "$round" "$s" "$status"
  if [[ $status != 0 ]]; then
    sed 's/^/    | /' "$log" | tail -30 >&2
    die "$name failed (exit $status)"
  fi
}

: >"$tmp/results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= repeat; r++)); do
  echo "== round $r of $repeat"
  rm -rf "$tmp/copy"
  sync
  timed cp-r "$r" sh -c 'cp -r "$1" "$2" && sync' sh "$tmp/template" "$tmp/copy"
  rm -rf "$tmp/copy"
  fresh "$proj/checkpoints"
  timed mvn "$r" sh -c 'cd "$1" && shift && exec "$@"' sh "$proj" \
    "$MVN" -o -q -B "${mvn_args[@]}" -Dstyle.color=never compile checkpoint:apply -Dcheckpoint.threads="$threads"
  fresh "$tmp/python"
  timed python "$r" "$PY" it/bench/python_batch_rewrite.py "$tmp/python"
  if (( r < repeat )); then rm -rf "$proj/checkpoints" "$tmp/python"; sync; fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== check the first, middle and last output of each approach with torch"
first=$(printf 'epoch-%04d.ckpt' 1) middle=$(printf 'epoch-%04d.ckpt' $(( (count + 1) / 2 ))) last=$(printf 'epoch-%04d.ckpt' "$count")
status=0
"$PY" it/bench/check_clone_output.py --allow-records "$tmp/one.ckpt" \
  "$proj/checkpoints/$first" "$proj/checkpoints/$middle" "$proj/checkpoints/$last" 2>&1 | sed 's/^/  mvn    /' || status=1
"$PY" it/bench/check_clone_output.py "$tmp/one.ckpt" \
  "$tmp/python/$first" "$tmp/python/$middle" "$tmp/python/$last" 2>&1 | sed 's/^/  python /' || status=1
backups=$(find "$proj/checkpoints/.ckpt-backups" -name '*.bak' 2>/dev/null | wc -l)
migrated=$(find "$proj/checkpoints" -maxdepth 1 -name '*.ckpt' | wc -l)
echo "  mvn: $migrated checkpoints in checkpoints/, $backups backups (hard links) in checkpoints/.ckpt-backups"

echo
echo "## Results: $count checkpoints of $one_bytes bytes ($total_bytes bytes in all), median of $repeat round(s)"
echo
cat "$facts"
echo "- load average (1, 5, 15 min): $load_before before, $load_after after"
echo "- cache: the inputs are fresh copies, synced, in the page cache (clean); nothing drops the cache"
echo
"$PY" - "$tmp/results" "$count" "$total_bytes" "$threads" "$(nproc)" <<'EOF'
import statistics, sys
results, count, total, threads, nproc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
runs = {}
for line in open(results):
    name, rnd, s, status = line.split()
    runs.setdefault(name, []).append(float(s))
med = {n: statistics.median(v) for n, v in runs.items()}
rows = [("cp-r", "cp -r DIR COPY && sync"),
        ("mvn", "mvn -o -q compile checkpoint:apply (%s threads)" % (nproc if threads == 0 else threads)),
        ("python", "python: one process, load+rename+save")]
print("| %-46s | %8s | %8s | %8s | %13s |" % ("approach", "seconds", "files/s", "MB/s", "vs cp -r+sync"))
print("|%s|%s|%s|%s|%s|" % ("-" * 48, "-" * 9 + ":", "-" * 9 + ":", "-" * 9 + ":", "-" * 14 + ":"))
for n, label in rows:
    s = med[n]
    print("| %-46s | %8.2f | %8.1f | %8.1f | %12.2fx |" % (label, s, count / s, total / 1e6 / s, s / med["cp-r"]))
print()
print("python / mvn: %.2fx;  mvn / (cp -r + sync): %.2fx  (MB = 10^6 bytes; mvn's time includes Maven's start-up)"
      % (med["python"] / med["mvn"], med["mvn"] / med["cp-r"]))
spread = ", ".join("%s %.2f-%.2f s" % (n, min(runs[n]), max(runs[n])) for n, _ in rows)
print("spread over the rounds: " + spread)
EOF
if [[ $status != 0 ]]; then
  echo "!! FAILED: an output did not pass check_clone_output.py (see above)" >&2
  exit 1
fi
echo "(total $((SECONDS - start)) s)"
