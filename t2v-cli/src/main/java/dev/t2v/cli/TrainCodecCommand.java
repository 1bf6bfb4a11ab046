package dev.t2v.cli;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.train.codec.CodecArchitecture;
import dev.t2v.train.codec.CodecData;
import dev.t2v.train.codec.CodecInfo;
import dev.t2v.train.codec.CodecModel;
import dev.t2v.train.codec.CodecTrainer;
import dev.t2v.train.codec.CodecTrainingConfig;
import dev.t2v.train.codec.CodecWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code t2v train-codec}: trains the demo latent codec (a small SD-VAE-compatible autoencoder) on an MSR-VTT-format
 * folder and writes {@code encoder.onnx}, {@code decoder.onnx} and {@code codec.json} to {@code --out}.
 */
public final class TrainCodecCommand implements Command {
    static final int DEFAULT_SIZE = 128;
    static final int DEFAULT_FRAMES_PER_VIDEO = 8;
    static final int DEFAULT_HELD_OUT_VIDEOS = 32;

    @Override
    public String name() {
        return "train-codec";
    }

    @Override
    public String summary() {
        return "train the demo latent codec (VAE-compatible ONNX encoder/decoder) on a video folder";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("data").hasArg().argName("DIR")
                .desc("MSR-VTT-format folder (videos/*.mp4 + annotation/MSRVTT_data.json); required").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("codec directory to write (encoder.onnx, decoder.onnx, codec.json); required").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("training steps (default " + CodecTrainingConfig.DEFAULT_STEPS + ")").build());
        o.addOption(Option.builder().longOpt("batch").hasArg().argName("B")
                .desc("crops per step (default " + CodecTrainingConfig.DEFAULT_BATCH + ")").build());
        o.addOption(Option.builder().longOpt("crop").hasArg().argName("PX")
                .desc("training crop side, a multiple of 8 (default " + CodecTrainingConfig.DEFAULT_CROP + ")").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 0)").build());
        o.addOption(Option.builder().longOpt("lr").hasArg().argName("RATE")
                .desc("peak Adam learning rate (default " + CodecTrainingConfig.DEFAULT_LEARNING_RATE + ")").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("PX")
                .desc("frame side the videos are cropped and resized to, a multiple of 8 (default " + DEFAULT_SIZE
                        + ")").build());
        o.addOption(Option.builder().longOpt("frames-per-video").hasArg().argName("N")
                .desc("frames taken from each video, evenly spaced (default " + DEFAULT_FRAMES_PER_VIDEO + ")").build());
        o.addOption(Option.builder().longOpt("held-out-videos").hasArg().argName("N")
                .desc("validate/test videos for the held-out PSNR (default " + DEFAULT_HELD_OUT_VIDEOS + ")").build());
        o.addOption(Option.builder().longOpt("latent-noise").hasArg().argName("STD")
                .desc("std of the noise added to latents in training (default " + CodecTrainingConfig.DEFAULT_LATENT_NOISE
                        + ")").build());
        o.addOption(Option.builder().longOpt("latent-penalty").hasArg().argName("W")
                .desc("weight of mean(z^2) in the loss (default " + CodecTrainingConfig.DEFAULT_LATENT_PENALTY + ")")
                .build());
        o.addOption(Option.builder().longOpt("preset").hasArg().argName("NAME")
                .desc("network preset: " + String.join(", ", CodecArchitecture.presetNames()) + " (default demo)")
                .build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        Path data = Flags.existing(cmd, "data");
        if (!Files.isDirectory(data)) {
            throw UsageException.badValue("data", data.toString(), "a directory");
        }
        Path out = Path.of(Flags.required(cmd, "out"));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a directory (or a path to create)");
        }
        CodecArchitecture arch = CodecArchitecture.preset(Flags.oneOf(cmd, "preset", "demo",
                new LinkedHashSet<>(CodecArchitecture.presetNames())));
        int d = arch.downsample();
        int steps = Flags.intIn(cmd, "steps", CodecTrainingConfig.DEFAULT_STEPS, 1, 10_000_000);
        int batch = Flags.intIn(cmd, "batch", CodecTrainingConfig.DEFAULT_BATCH, 1, 4096);
        int crop = multipleOf(cmd, "crop", CodecTrainingConfig.DEFAULT_CROP, d);
        int size = multipleOf(cmd, "size", DEFAULT_SIZE, d);
        if (crop > size) {
            throw UsageException.badValue("crop", String.valueOf(crop), "at most --size (" + size + ")");
        }
        long seed = Flags.longValue(cmd, "seed", 0);
        double lr = Flags.doubleIn(cmd, "lr", CodecTrainingConfig.DEFAULT_LEARNING_RATE, 1e-7, 1);
        int perVideo = Flags.intIn(cmd, "frames-per-video", DEFAULT_FRAMES_PER_VIDEO, 1, 1000);
        int heldOut = Flags.intIn(cmd, "held-out-videos", DEFAULT_HELD_OUT_VIDEOS, 1, 100_000);
        double noise = Flags.doubleIn(cmd, "latent-noise", CodecTrainingConfig.DEFAULT_LATENT_NOISE, 0, 10);
        double penalty = Flags.doubleIn(cmd, "latent-penalty", CodecTrainingConfig.DEFAULT_LATENT_PENALTY, 0, 10);
        CodecTrainingConfig cfg = CodecTrainingConfig.defaults(steps).withBatch(batch).withCrop(crop)
                .withLearningRate(lr).withSeed(seed).withRegulariser(noise, penalty);

        CodecData.Sources sources = CodecData.sources(data, heldOut);
        CodecData frames;
        try (ProgressBar bar = new ProgressBar(ctx.err(), "frames", sources.videoCount())) {
            frames = sources.load(size, perVideo, bar);
        }
        ctx.err().printf(Locale.ROOT, "train-codec: %d train frames from %d videos, %d held-out frames from %d videos"
                        + " (%s), %dx%d%n", frames.train().count(), frames.trainVideos(), frames.heldOut().count(),
                frames.heldOutVideos(), String.join("+", frames.heldOutSplits()), size, size);
        CodecInfo info;
        try (CodecModel model = CodecModel.create(arch, cfg.initSeed())) {
            CodecTrainer.Result result;
            try (ProgressBar bar = new ProgressBar(ctx.err(), "codec", steps)) {
                result = CodecTrainer.train(model, frames.train(), cfg, bar);
            }
            info = CodecWriter.write(model, cfg, result, frames, out);
        }
        ctx.out().printf(Locale.ROOT, "wrote %s: held-out PSNR %.2f dB (min %.2f) over %d frames; scaling factor "
                        + "%.5f (latent std %.4f); %d steps in %.0f s%n", out, info.heldOut().psnrDb(),
                info.heldOut().minPsnrDb(), info.heldOut().frames(), info.scalingFactor(), info.latentStd(), steps,
                info.training().wallSeconds());
        return Main.OK;
    }

    private static int multipleOf(CommandLine cmd, String flag, int dflt, int m) {
        int v = Flags.intIn(cmd, flag, dflt, m, 4096);
        if (v % m != 0) {
            throw UsageException.badValue(flag, String.valueOf(v), "a multiple of " + m);
        }
        return v;
    }
}
