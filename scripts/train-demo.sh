#!/usr/bin/env bash
# Trains the bundled demo model from nothing: the synthetic moving-shapes set, the demo codec, latents, the denoiser,
# then installs the bundle where DemoModel finds it (t2v-inference resources). Every stage is seeded, so a rerun gives
# the same files on the same machine. Measured times (2 cores, docs/quality.md): synth ~1 min, codec ~15-35 min,
# preprocess ~3 min, denoiser <= 60 min (the step count below is what fits an hour alone on the machine).
#
#   scripts/train-demo.sh [WORK_DIR]      (default: work/demo; stages whose output exists are skipped)
#
# Environment: STEPS (optimiser steps, default 1200), LR (peak learning rate, default 3e-4), DEMO_GUIDANCE /
# DEMO_INTERVAL (the sampling defaults written into the bundle: scripts/quality-demo.sh tunes them on seen
# combinations), REUSE_CODEC=BUNDLE_DIR (take the codec of an existing bundle, e.g. the shipped one, instead of
# training it again), NO_INSTALL=1 (stop before installing).
set -euo pipefail
STEPS="${STEPS:-1200}"
LR="${LR:-3e-4}"
DEMO_GUIDANCE="${DEMO_GUIDANCE:-3.0}"
DEMO_INTERVAL="${DEMO_INTERVAL:-0,850}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/work/demo}"
t2v="$root/t2v"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-4}"
mkdir -p "$work"
cd "$work"

stage() { echo "== $1 ($(date -u +%H:%M:%S))" >&2; }

# 1. Data: 2400 clips of 8 frames at 128x128, 8 fps, with the large shapes (4.5-6.4 latent pixels wide, moving
#    0.05-0.075 of the frame per frame): the default style's small shapes are so sparse in latent space that no
#    training timestep hides them (docs/training.md, "Fitting the noise schedule to the data"). 9 colour x shape x
#    direction combinations are held out of training.
if [ ! -f synth/annotation/MSRVTT_data.json ]; then
  stage "synth"
  "$t2v" synth --out synth --videos 2400 --size 128 --frames 8 --fps 8 --seed 0 --style large
fi

# 2. The codec: a small convolutional autoencoder, /8 spatially, 4 latent channels (docs/codec.md), trained on the
#    first 200 clips of the default set (the same seed makes them the same videos).
if [ ! -f codec/encoder.onnx ]; then
  if [ -n "${REUSE_CODEC:-}" ]; then
    stage "codec from $REUSE_CODEC"
    mkdir -p codec.tmp && cp "$REUSE_CODEC"/codec/*.onnx codec.tmp/
    sed -n 's/.*"scaling_factor" *: *\([0-9.eE+-]*\).*/\1/p' "$REUSE_CODEC/model.json" > codec.tmp/scaling_factor
    mv codec.tmp codec
  else
    stage "codec data"
    [ -f synth-codec/annotation/MSRVTT_data.json ] || "$t2v" synth --out synth-codec --videos 200 --size 128 --seed 0
    stage "train-codec"
    "$t2v" train-codec --data synth-codec --out codec --steps 1500 --batch 16 --crop 64 --seed 0
  fi
fi
if [ -f codec/codec.json ]; then
  scaling=$(sed -n 's/.*"scaling_factor" *: *\([0-9.eE+-]*\).*/\1/p' codec/codec.json)
else
  scaling=$(cat codec/scaling_factor)
fi

# 3. Latents and caption embeddings: 1 clip of 8 frames (1 s at 8 fps) per video. Resumable.
stage "preprocess"
"$t2v" preprocess --data synth --out latents --vae codec --scaling-factor "$scaling" --frames 8 --fps 8 --size 128 \
  --clips-per-video 1

# 4. The denoiser: the demo preset, AdamW on batches of 8 clips, cosine LR after warm-up, EMA 0.999. The diffusion
#    setup puts the range where the object's place, shape and motion are decided inside training (measured by
#    `t2v schedule-check`, docs/quality.md): v-prediction on a zero-terminal-SNR schedule, SNR shifted by 4^2 for these
#    sparse latents, timesteps drawn logit-normal towards high noise; trailing spacing so sampling starts at pure noise.
#    Min-SNR weighting stays off (with v-prediction it would weight the terminal step by 0). The run pauses half-way
#    for the go/no-go check below, then resumes on the same schedule. A small heap and javacpp limits keep its off-heap
#    memory near what it uses.
export T2V_JAVA_OPTS="${T2V_JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=7G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G}"
half=$((STEPS / 2))
train() {
  "$t2v" train --data latents --out run --vae codec --preset demo --max-steps "$STEPS" --batch 8 \
    --lr "$LR" --lr-schedule cosine --warmup 100 --ema-decay 0.999 --keep 2 --save-every 200 --val-every 100 \
    --prediction-type v_prediction --zero-terminal-snr --snr-shift 4 --timestep-sampling logit-normal:1,1 \
    --timestep-spacing trailing --seed 0 "$@"
}
last=$( (ls run/checkpoints 2>/dev/null || true) | sed -n 's/^step-0*\([0-9][0-9]*\)$/\1/p' | sort -n | tail -1)
if [ "${last:-0}" -lt "$half" ]; then
  stage "train to step $half"
  if [ -n "${last:-}" ]; then train --stop-at "$half" --resume; else train --stop-at "$half"; fi
  # Go/no-go half-way, on the held-out combinations (2 seeds each): colour, shape, direction, objects per frame.
  stage "half-way check"
  grep -P '^#|\theld-out$' synth/annotation/prompts.tsv > run/prompts-held-out.tsv
  "$t2v" evaluate --suite adherence --model "run/checkpoints/step-$(printf %07d "$half")" \
    --prompts run/prompts-held-out.tsv --samples 2 --guidance "$DEMO_GUIDANCE" --guidance-interval "$DEMO_INTERVAL" \
    | tee run/half-way.txt >&2
fi
stage "train to step $STEPS"
train --resume

# 5. Install: the bundle becomes the class-path demo model, listed with its SHA-256s, with the sampling defaults that
#    scripts/quality-demo.sh tuned on seen combinations (docs/quality.md).
[ -n "${NO_INSTALL:-}" ] && { stage "done (not installed): run/model"; exit 0; }
stage "install"
dest="$root/t2v-inference/src/main/resources/dev/t2v/inference/demo"
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
cp -r run/model/. "$dest.tmp/"
python3 - "$dest.tmp/model.json" "$DEMO_GUIDANCE" "$DEMO_INTERVAL" <<'PY'
import json, sys
path, guidance, interval = sys.argv[1], float(sys.argv[2]), sys.argv[3]
m = json.load(open(path))
m["sampling"]["guidance"] = guidance
if interval != "all":
    m["sampling"]["guidance_interval"] = interval
json.dump(m, open(path, "w"), indent=2)
PY
(cd "$dest.tmp" && find . -type f ! -name files.sha256 -printf '%P\n' | LC_ALL=C sort | xargs sha256sum > files.sha256)
rm -rf "$dest" && mv "$dest.tmp" "$dest"
du -sh "$dest" >&2
stage "done: ./t2v generate --prompt \"a red circle moving right\" --out red.mp4"
