#!/usr/bin/env bash
# Where does the model lose shape and direction? Takes the first 2 clips of each held-out combination of a synthetic
# set, regenerates each from its own clip noised to strength S (video-to-video, SDEdit) with its own canonical prompt,
# and scores the results like the set's own clips (evaluate --ground-truth on a copy of the set whose videos are the
# regenerated ones). Strength 0.3 starts where the object is plain to see, 0.7 near the top of the schedule.
#
#   scripts/sdedit-probe.sh SYNTH_DIR [OUT_DIR=work/sdedit] [STRENGTHS="0.3 0.5 0.7"]
# MODEL=DIR picks another bundle than the bundled demo model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
synth="$1"
out="${2:-$root/work/sdedit}"
t2v="$root/t2v"
model=()
[ -n "${MODEL:-}" ] && model=(--model "$MODEL")
mkdir -p "$out"
prompts="$out/prompts-held-out.tsv"
{ head -1 "$synth/annotation/prompts.tsv"; grep -P '\theld-out$' "$synth/annotation/prompts.tsv"; } > "$prompts"
clips=$(python3 - "$synth/annotation/MSRVTT_data.json" <<'PY'
import json, sys
videos = json.load(open(sys.argv[1]))["videos"]
taken = {}
for v in sorted(videos, key=lambda v: int(v["video_id"][len("video"):])):
    t = v["t2v"]
    key = (t["colour"], t["shape"], t["direction"])
    if t["held_out"] and taken.get(key, 0) < 2:
        taken[key] = taken.get(key, 0) + 1
        print(f'{v["video_id"]}|a {t["colour"]} {t["shape"]} moving {t["direction"]}')
PY
)
for s in ${3:-0.3 0.5 0.7}; do
  set_dir="$out/strength-$s"
  mkdir -p "$set_dir/videos" && cp -r "$synth/annotation" "$set_dir/"
  while IFS='|' read -r id prompt; do
    [ -f "$set_dir/videos/$id.mp4" ] && continue
    "$t2v" generate "${model[@]}" --prompt "$prompt" --init-video "$synth/videos/$id.mp4" --strength "$s" --seed 0 \
      --out "$set_dir/videos/$id.mp4" > /dev/null
  done <<< "$clips"
  echo "strength $s:"
  "$t2v" evaluate --suite adherence "${model[@]}" --ground-truth "$set_dir" --samples 2 --prompts "$prompts" \
    | grep -E '^(group|held-out) '
done
