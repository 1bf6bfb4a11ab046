#!/usr/bin/env bash
# Trains the bundled demo model from nothing: the synthetic moving-shapes set, the demo codec, latents, the denoiser,
# then installs the bundle where DemoModel finds it (t2v-inference resources). Every stage is seeded, so a rerun gives
# the same files on the same machine. Measured times (2 cores, docs/quality.md): synth ~1 min, codec ~15-35 min,
# preprocess ~2 min, denoiser ~80 min (2000 steps at 2.3-2.5 s).
#
#   scripts/train-demo.sh [WORK_DIR]      (default: work/demo; stages whose output exists are skipped)
set -euo pipefail
DEMO_GUIDANCE="${DEMO_GUIDANCE:-7.5}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/work/demo}"
t2v="$root/t2v"
mkdir -p "$work"
cd "$work"

stage() { echo "== $1 ($(date -u +%H:%M:%S))" >&2; }

# 1. Data: 1200 clips of 16 frames at 128x128, 8 fps; 9 colour x shape x direction combinations held out of training.
if [ ! -f synth/annotation/MSRVTT_data.json ]; then
  stage "synth"
  "$t2v" synth --out synth --videos 1200 --size 128 --frames 16 --fps 8 --seed 0
fi

# 2. The codec: a small convolutional autoencoder, /8 spatially, 4 latent channels (docs/codec.md), trained on the
#    first 200 clips (the same seed makes them the same videos).
if [ ! -f codec/codec.json ]; then
  stage "codec data"
  [ -f synth-codec/annotation/MSRVTT_data.json ] || "$t2v" synth --out synth-codec --videos 200 --size 128 --seed 0
  stage "train-codec"
  "$t2v" train-codec --data synth-codec --out codec --steps 1500 --batch 16 --crop 64 --seed 0
fi

# 3. Latents and caption embeddings: 2 clips of 8 frames (1 s at 8 fps) per video. Resumable.
stage "preprocess"
"$t2v" preprocess --data synth --out latents --vae codec --frames 8 --fps 8 --size 128 \
  --clips-per-video 2

# 4. The denoiser: the demo preset, AdamW on batches of 8 clips, min-SNR-5 weighting, cosine LR after warm-up.
#    The shipped model was made in two phases, reproduced here exactly: a 1400-step run, paused at step 900 (the
#    step-800 samples had the right colours but no shapes yet), then extended to 2000 steps (its cosine schedule
#    recomputed from there). A small heap and javacpp limits keep its off-heap memory near what it uses (~5 GB).
stage "train"
export T2V_JAVA_OPTS="${T2V_JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=7G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G}"
last=$(ls run/checkpoints 2>/dev/null | sed -n 's/^step-0*\([0-9][0-9]*\)$/\1/p' | sort -n | tail -1)
if [ "${last:-0}" -lt 900 ]; then
  resume=""
  [ -n "${last:-}" ] && resume="--resume"
  "$t2v" train --data latents --out run --vae codec --preset demo --max-steps 1400 --stop-at 900 --batch 8 \
    --lr 3e-4 --lr-schedule cosine --warmup 100 --min-snr-gamma 5 --ema-decay 0.999 --keep 2 --save-every 100 \
    --seed 0 $resume
fi
"$t2v" train --data latents --out run --vae codec --max-steps 2000 --resume

# 5. Install: the bundle becomes the class-path demo model, listed with its SHA-256s.
stage "install"
dest="$root/t2v-inference/src/main/resources/dev/t2v/inference/demo"
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
cp -r run/model/. "$dest.tmp/"
# The sampling default generate uses: the guidance scripts/quality-demo.sh tuned on seen combinations (docs/quality.md).
sed -i "s/\"guidance\" : 5.0/\"guidance\" : ${DEMO_GUIDANCE}/" "$dest.tmp/model.json"
(cd "$dest.tmp" && find . -type f ! -name files.sha256 -printf '%P\n' | LC_ALL=C sort | xargs sha256sum > files.sha256)
rm -rf "$dest" && mv "$dest.tmp" "$dest"
du -sh "$dest" >&2
stage "done: ./t2v generate --prompt \"a red circle moving right\" --out red.mp4"
