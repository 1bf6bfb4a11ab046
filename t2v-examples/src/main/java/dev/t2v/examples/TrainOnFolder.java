package dev.t2v.examples;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.Preprocessor;
import dev.t2v.train.Trainer;
import dev.t2v.train.TrainingConfig;
import dev.t2v.train.TrainingData;
import dev.t2v.train.TrainingResult;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Trains a model on a folder of captioned videos in MSR-VTT layout ({@code videos/*.mp4} and
 * {@code annotation/MSRVTT_data.json}, as {@code t2v synth} writes): encode the clips to latents and the captions to
 * embeddings, then train a denoiser preset on them. A rerun resumes both stages.
 *
 * <pre>
 * TrainOnFolder DATA_DIR VAE_DIR OUT_DIR [PRESET] [STEPS] [TEXT_MODEL.onnx TOKENIZER.json]
 * </pre>
 *
 * Defaults: preset {@code demo}, 2000 steps, the all-MiniLM-L6-v2 text encoder. VAE_DIR holds the codec's
 * ONNX encoder and decoder. Writes {@code OUT_DIR/data} (shards) and {@code OUT_DIR/run}; the model bundle, which
 * {@code GenerateVideo} loads, is {@code OUT_DIR/run/model}.
 */
public final class TrainOnFolder {
    private TrainOnFolder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length == 6) {
            throw new IllegalArgumentException("usage: TrainOnFolder DATA_DIR VAE_DIR OUT_DIR [PRESET] [STEPS] "
                    + "[TEXT_MODEL.onnx TOKENIZER.json]");
        }
        Path data = Path.of(args[0]);
        Path vaeDir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        String preset = args.length > 3 ? args[3] : "demo";
        long steps = args.length > 4 ? Long.parseLong(args[4]) : 2000;
        DenoiserConfig model = DenoiserConfig.preset(preset);

        // 1. Preprocess: clips of the preset's frame count and pixel size (latent size x the codec's downsample).
        Path shards = out.resolve("data");
        try (OnnxVae vae = OnnxVae.fromDirectory(vaeDir, OnnxVae.SD_SCALING_FACTOR);
             TextEncoder text = args.length > 6 ? OnnxTextEncoder.open(Path.of(args[6]), Path.of(args[5]))
                     : TextEncoders.defaultMiniLm()) {
            PreprocessConfig cfg = PreprocessConfig.defaults(data, shards).withClip(model.frames(),
                    PreprocessConfig.DEFAULT_FPS, model.latentSize() * vae.downsample(),
                    PreprocessConfig.DEFAULT_CLIPS_PER_VIDEO);
            System.out.println(new Preprocessor(cfg, text, vae, Clock.systemUTC(), System.err).run().describe());
        }

        // 2. Train. Unset keys keep TrainingConfig.defaults(): AdamW 1e-4, EMA, 10 % caption dropout, and so on.
        TrainingConfig cfg = TrainingConfig.fromJson(String.format(Locale.ROOT,
                "{\"preset\": \"%s\", \"max_steps\": %d, \"epochs\": 0}", preset, steps));
        // The dataset records which text encoder and codec made it; the bundle references the same ones.
        try (TrainingData d = TrainingData.open(shards, cfg.trainSplit(), cfg.valSplit())) {
            Trainer trainer = new Trainer(cfg, d.train(), d.validation(), d.refs(TrainingData.ModelFiles.none()),
                    out.resolve("run"), System.err);
            TrainingResult result = trainer.run(true); // true: continue from the newest checkpoint, if any
            System.out.println(result.summary());
        }
    }
}
