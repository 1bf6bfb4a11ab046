#!/usr/bin/env bash
# Measures the demo model's text adherence for docs/quality.md: a guidance sweep, the main figure at the tuned
# guidance, a sampler comparison, and contact sheets. The guidance is tuned on the SEEN combinations only; the
# held-out ones (never in training) are only reported.
#
#   scripts/quality-demo.sh SYNTH_DIR [OUT_DIR] [GUIDANCE]
#     SYNTH_DIR  the synthetic set the model was trained on (t2v synth output: annotation/prompts.tsv)
#     OUT_DIR    where the JSON reports go (default work/quality)
#     GUIDANCE   the guidance for the main run and the sampler comparison (default: best seen colour+shape+direction
#                accuracy of the sweep)
# MODEL=DIR picks another bundle than the bundled demo model; BACKEND=samediff the reference runtime.
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

evaluate() { # NAME PROMPTS [flags...]
  local name="$1" file="$2"; shift 2
  [ -f "$out/$name.json" ] && return 0
  echo "== $name" >&2
  "$t2v" evaluate --suite adherence "${model[@]}" "${backend[@]}" --prompts "$file" --json "$out/$name.json" "$@" \
    > "$out/$name.txt"
}

# Subsets: the 9 seen combinations to tune on, and 3 held-out + 3 seen for the sampler comparison (DDPM's 1000 steps
# are 50 times the cost of DPM-Solver++ 20).
tune="$out/prompts-tune.tsv"
{ head -1 "$prompts"; grep -P '\tseen$' "$prompts" | awk 'NR % 6 == 1' | head -9; } > "$tune"
subset="$out/prompts-samplers.tsv"
{ head -1 "$prompts"; grep -P '\theld-out$' "$prompts" | head -3; grep -P '\tseen$' "$prompts" | head -3; } > "$subset"

# 1. Guidance sweep on the seen subset: DPM-Solver++ 20 steps, 2 videos per prompt (seeds 0, 1).
for g in 1 3 5 7.5 10; do
  evaluate "guidance-$g" "$tune" --sampler dpmpp --steps 20 --guidance "$g" --samples 2
done

# 2. The tuned guidance: the best mean accuracy over colour, shape and direction on the seen combinations.
guidance="${3:-$(python3 - "$out" <<'PY'
import json, sys
best = None
for g in ["1", "3", "5", "7.5", "10"]:
    seen = json.load(open(f"{sys.argv[1]}/guidance-{g}.json"))["adherence"]["seen"]
    score = (seen["colour"] + seen["shape"] + seen["direction"]) / 3
    if best is None or score > best[0]:
        best = (score, g)
print(best[1])
PY
)}"
echo "tuned guidance: $guidance" | tee "$out/guidance.txt" >&2

# 3. The headline figure: every prompt, DPM-Solver++ 20 steps at the tuned guidance, 2 videos each (seeds 100, 101).
evaluate "main" "$prompts" --sampler dpmpp --steps 20 --guidance "$guidance" --samples 2 --seed 100

# 4. Samplers on the same prompts and seeds, one video each.
# DDPM at 999 steps: with the bundle's leading spacing and steps_offset 1 (SD's scheduler config), 1000 steps would
# start at timestep 1000, past the schedule (diffusers fails the same way).
evaluate "sampler-ddpm-999" "$subset" --sampler ddpm --steps 999 --guidance "$guidance" --seed 200
evaluate "sampler-ddim-50" "$subset" --sampler ddim --steps 50 --guidance "$guidance" --seed 200
evaluate "sampler-dpmpp-20" "$subset" --sampler dpmpp --steps 20 --guidance "$guidance" --seed 200
evaluate "sampler-dpmpp-10" "$subset" --sampler dpmpp --steps 10 --guidance "$guidance" --seed 200

# 5. Contact sheets for docs/: two held-out and two seen prompts, and a 5-second video.
sheets="$root/docs/quality"
mkdir -p "$sheets"
i=0
while IFS=$'\t' read -r prompt _ _ _ group; do
  name=$(echo "$prompt" | tr ' ' '-')
  "$t2v" generate "${model[@]}" "${backend[@]}" --prompt "$prompt" --guidance "$guidance" --seed 7 \
    --out "$sheets/$group-$name.png"
done < <(grep -P '\theld-out$' "$prompts" | head -2; grep -P '\tseen$' "$prompts" | head -2)
"$t2v" generate "${model[@]}" "${backend[@]}" --prompt "a blue circle moving right" --guidance "$guidance" \
  --frames 40 --seed 7 --out "$sheets/long-a-blue-circle-moving-right.png"
echo "reports in $out, sheets in $sheets" >&2
