#!/usr/bin/env bash
# Measures `t2v preprocess --engine spark` at local[1] and local[2], and the local engine at --threads 1 and 2, on one
# synthetic set with the default MiniLM text encoder and the tests' tiny VAE (as docs/preprocess.md's figures), the
# four runs interleaved round by round so that a busy neighbour slows them alike. Prints clips/min per run (from each
# output's summary.json: the run itself, without JVM or Spark start-up) and the local[2]/local[1] ratio, and checks that
# the Spark and local outputs are byte-identical, with each run's process CPU time (which other processes on the machine
# do not inflate the way they inflate wall time). docs/scale.md quotes it.
#
#   scripts/spark-scaling.sh [videos=128] [rounds=2] [work-dir=a new temp dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
videos="${1:-128}"
rounds="${2:-2}"
dir="${3:-$(mktemp -d -t t2v-spark-scaling-XXXX)}"
# 8 videos per shard: 16 shards for 128 videos, an even number of tasks for 2 slots.
per_shard=8
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4
# dataset.json's creation time from here, so that outputs compare byte for byte.
export SOURCE_DATE_EPOCH=1700000000

if [ ! -d "$dir/vae" ]; then
  echo "writing $videos synthetic videos and the tiny VAE to $dir" >&2
  (cd "$root" && mvn -B -q -pl t2v-data -am test-compile dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt")
  java -cp "$root/t2v-data/target/test-classes:$root/t2v-data/target/classes:$(cat "$dir/cp.txt")" \
    dev.t2v.data.spark.ScalingFixtures "$dir" "$videos" >&2
fi

run() {
  local label="$1" round="$2"
  shift 2
  local out="$dir/out-$label-$round"
  rm -rf "$out"
  /usr/bin/time -f "%U %S" -o "$dir/cpu-$label-$round.txt" \
    "$root/t2v" preprocess --data "$dir/data" --out "$out" --vae "$dir/vae" --videos-per-shard "$per_shard" "$@" \
    > "$dir/log-$label-$round.txt" 2>&1
  python3 - "$out/summary.json" "$label" "$round" "$dir/cpu-$label-$round.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = s["time"]
cpu = sum(float(x) for x in open(sys.argv[4]).read().split())
print(f'{sys.argv[2]:10s} round {sys.argv[3]}: {s["clips"]["written_this_run"]} clips in {t["seconds"]:.1f} s = '
      f'{t["clips_per_minute"]:.0f} clips/min (workers {t["threads"]}); process CPU {cpu:.1f} s')
PY
}

echo "cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  run spark-1 "$r" --engine spark --master 'local[1]'
  run spark-2 "$r" --engine spark --master 'local[2]'
  run local-1 "$r" --threads 1
  run local-2 "$r" --threads 2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$dir" "$rounds" <<'PY'
import json, sys, statistics
d, rounds = sys.argv[1], int(sys.argv[2])
def rate(label, r):
    return json.load(open(f"{d}/out-{label}-{r}/summary.json"))["time"]["clips_per_minute"]
def cpu(label, r):
    return sum(float(x) for x in open(f"{d}/cpu-{label}-{r}.txt").read().split())
for a, b in (("spark-2", "spark-1"), ("local-2", "local-1")):
    ratios = [rate(a, r) / rate(b, r) for r in range(1, rounds + 1)]
    print(f"{a}/{b} clips/min: " + ", ".join(f"{x:.2f}" for x in ratios)
          + f" (median {statistics.median(ratios):.2f})")
    # CPU seconds of the whole process (start-up included) per run, 2 workers over 1: near 1.0 means the second
    # worker added no work of its own, so on two idle cores the wall-clock ratio could approach 2.
    cpus = [cpu(a, r) / cpu(b, r) for r in range(1, rounds + 1)]
    print(f"{a}/{b} process CPU: " + ", ".join(f"{x:.2f}" for x in cpus)
          + f" (median {statistics.median(cpus):.2f})")
PY

for r in $(seq 1 "$rounds"); do
  diff -r -q -x summary.json "$dir/out-local-2-$r" "$dir/out-spark-2-$r" \
    && echo "round $r: spark local[2] output = local engine output, byte for byte (summary.json aside)"
done
