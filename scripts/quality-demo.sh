#!/usr/bin/env bash
# Measures the demo model's text adherence for docs/quality.md: the ground-truth rows (as is, and through the model's
# codec), a guidance sweep and a guidance-interval sweep, the main figure at the tuned guidance with 8 seeds per
# prompt, the paraphrased prompts, a sampler comparison, and contact sheets. Guidance is tuned on the SEEN
# combinations only; the held-out ones (never in training) are only reported. Every figure has a 95 % interval
# (Wilson for accuracies, Student's t for objects per frame and flicker).
#
#   scripts/quality-demo.sh SYNTH_DIR [OUT_DIR] [GUIDANCE]
#     SYNTH_DIR  the synthetic set the model was trained on (t2v synth output: annotation/prompts.tsv, videos/)
#     OUT_DIR    where the JSON and text reports go (default work/quality); a report already there is not redone
#     GUIDANCE   the guidance for the runs after the sweep (default: the sweep's best mean of seen colour, shape and
#                direction accuracy)
# MODEL=DIR picks another bundle than the bundled demo model; BACKEND=samediff the reference runtime;
# INTERVAL=LO,HI fixes the guidance interval instead of tuning it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
synth="$1"
out="${2:-$root/work/quality}"
t2v="$root/t2v"
model=()
[ -n "${MODEL:-}" ] && model=(--model "$MODEL")
backend=(--backend "${BACKEND:-ort}")
prompts="$synth/annotation/prompts.tsv"
mkdir -p "$out"

evaluate() { # NAME [flags...]: one evaluate run, skipped when its JSON exists
  local name="$1"; shift
  [ -f "$out/$name.json" ] && return 0
  echo "== $name" >&2
  "$t2v" evaluate --suite adherence "${model[@]}" "${backend[@]}" --json "$out/$name.json" "$@" > "$out/$name.txt"
}

# Subsets: the 9 seen combinations to tune on, and 3 held-out + 3 seen for the sampler comparison (DDPM's 1000 steps
# are 50 times the cost of DPM-Solver++ 20).
tune="$out/prompts-tune.tsv"
{ head -1 "$prompts"; grep -P '\tseen$' "$prompts" | awk 'NR % 6 == 1' | head -9; } > "$tune"
subset="$out/prompts-samplers.tsv"
{ head -1 "$prompts"; grep -P '\theld-out$' "$prompts" | head -3; grep -P '\tseen$' "$prompts" | head -3; } > "$subset"

# 0. The reference: the set's own clips of every prompt's combination, 8 per prompt, read as the model's windows.
evaluate "ground-truth" --prompts "$prompts" --samples 8 --ground-truth "$synth"
#    The same clips through the model's codec (encoded, decoded): the ceiling any generation of this model can reach.
evaluate "ground-truth-codec" --prompts "$prompts" --samples 8 --ground-truth "$synth" --through-codec

# The best run of a sweep: the highest mean accuracy over colour, shape and direction on the seen combinations.
best() { # PREFIX VALUE...
  python3 - "$out" "$@" <<'PY'
import json, sys
out, prefix, values = sys.argv[1], sys.argv[2], sys.argv[3:]
best = None
for v in values:
    seen = json.load(open(f"{out}/{prefix}{v}.json"))["adherence"]["seen"]
    score = (seen["colour"] + seen["shape"] + seen["direction"]) / 3
    if best is None or score > best[0]:
        best = (score, v)
print(best[1])
PY
}

# 1. Guidance sweep on the seen subset (SCALES="1 3 5 7.5 10" for a wider one): DPM-Solver++ 20 steps, 4 videos
#    per prompt (seeds 0-3).
scales=(${SCALES:-3 5 7.5})
for g in "${scales[@]}"; do
  evaluate "guidance-$g" --prompts "$tune" --sampler dpmpp --steps 20 --guidance "$g" --samples 4
done
guidance="${3:-$(best guidance- "${scales[@]}")}"
echo "tuned guidance: $guidance" | tee "$out/guidance.txt" >&2

# 2. Guidance interval (CFG only for t in [LO, HI]) at the tuned scale, on the same seen subset, when this build has
#    the flag; the script runs unchanged without it.
interval=()
if "$t2v" evaluate --help 2>/dev/null | grep -q -- '--guidance-interval'; then
  intervals=(${INTERVALS:-0,999 0,850 0,700})
  for iv in "${intervals[@]}"; do
    evaluate "interval-$iv" --prompts "$tune" --sampler dpmpp --steps 20 --guidance "$guidance" \
      --guidance-interval "$iv" --samples 4
  done
  chosen="${INTERVAL:-$(best interval- "${intervals[@]}")}"
  interval=(--guidance-interval "$chosen")
  echo "tuned guidance interval: $chosen" | tee -a "$out/guidance.txt" >&2
fi

# 3. The headline figure: DPM-Solver++ 20 steps at the tuned guidance, seeds 100-107 for every held-out prompt (72
#    videos: 9 combinations x 8) and seeds 100-101 for every seen one (124 videos), to keep the run near 10 minutes.
held="$out/prompts-held-out.tsv"
{ head -1 "$prompts"; grep -P '\theld-out$' "$prompts"; } > "$held"
seen="$out/prompts-seen.tsv"
{ head -1 "$prompts"; grep -P '\tseen$' "$prompts"; } > "$seen"
evaluate "main" --prompts "$held" --sampler dpmpp --steps 20 --guidance "$guidance" "${interval[@]}" --samples 8 \
  --seed 100
evaluate "main-seen" --prompts "$seen" --sampler dpmpp --steps 20 --guidance "$guidance" "${interval[@]}" \
  --samples 2 --seed 100

# 4. Paraphrases (t2v-data's paraphrases.tsv: colour words, motion phrasings and sentence shapes the captions never
#    use): 2 per combination x 4 seeds = 8 videos per held-out combination, 72 held-out and 72 seen.
evaluate "paraphrases" --paraphrases --sampler dpmpp --steps 20 --guidance "$guidance" "${interval[@]}" --samples 4 \
  --seed 300

# 5. Samplers on the same prompts and seeds, one video each. SAMPLERS="ddpm:1000 ddim:50 dpmpp:20 dpmpp:10" adds
#    DDPM (50 times DPM-Solver++'s cost; with a leading-spacing bundle use ddpm:999, as 1000 steps plus steps_offset 1
#    would start past the schedule, as in diffusers).
for run in ${SAMPLERS:-ddim:50 dpmpp:20 dpmpp:10}; do
  evaluate "sampler-${run%%:*}-${run##*:}" --prompts "$subset" --sampler "${run%%:*}" --steps "${run##*:}" \
    --guidance "$guidance" "${interval[@]}" --seed 200
done

# 6. Every run's groups in one table (markdown, for docs/quality.md): n, the accuracies, objects per frame and
#    flicker, each with its 95 % interval, and the seconds per video.
python3 - "$out" > "$out/summary.md" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def pct(g, key):
    v, ci = g[key], g[key + "Interval"]
    return "-" if not isinstance(v, float) or v != v else f"{100 * v:.1f} % [{100 * ci['low']:.1f}, {100 * ci['high']:.1f}]"
def num(g, key):
    v, ci = g[key], g[key + "Interval"]
    if not isinstance(v, float) or v != v:
        return "-"
    lo, hi = ci["low"], ci["high"]
    return f"{v:.2f}" + ("" if not isinstance(lo, float) or lo != lo else f" [{lo:.2f}, {hi:.2f}]")
print("| run | group | n | colour | shape | direction | all three | objects/frame | flicker | s/video |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
names = sorted(glob.glob(f"{out}/*.json"), key=lambda p: ("ground-truth" not in p, os.path.getmtime(p)))
for path in names:
    r = json.load(open(path))
    speed = r.get("throughput", {}).get("seconds_per_video")
    for key, label in (("seen", "seen"), ("held_out", "held out"), ("all", "all")):
        g = r["adherence"][key]
        if g["count"] == 0:
            continue
        print(f"| {os.path.basename(path)[:-5]} | {label} | {g['count']} | {pct(g, 'colour')} | {pct(g, 'shape')} | "
              f"{pct(g, 'direction')} | {pct(g, 'allThree')} | {num(g, 'objectsPerFrame')} | {num(g, 'flicker')} | "
              f"{'-' if speed is None else f'{speed:.2f}'} |")
PY
cat "$out/summary.md"

# 7. Contact sheets for docs/: two held-out and two seen prompts, and a 5-second video.
sheets="$root/docs/quality"
mkdir -p "$sheets"
sheet_interval=()
"$t2v" generate --help 2>/dev/null | grep -q -- '--guidance-interval' && sheet_interval=("${interval[@]}")
while IFS=$'\t' read -r prompt _ _ _ group; do
  name=$(echo "$prompt" | tr ' ' '-')
  "$t2v" generate "${model[@]}" "${backend[@]}" --prompt "$prompt" --guidance "$guidance" "${sheet_interval[@]}" \
    --seed 7 --out "$sheets/$group-$name.png"
done < <(grep -P '\theld-out$' "$prompts" | head -2; grep -P '\tseen$' "$prompts" | head -2)
"$t2v" generate "${model[@]}" "${backend[@]}" --prompt "a blue circle moving right" --guidance "$guidance" \
  "${sheet_interval[@]}" --frames 40 --seed 7 --out "$sheets/long-a-blue-circle-moving-right.png"
echo "reports and summary.md in $out, sheets in $sheets" >&2
