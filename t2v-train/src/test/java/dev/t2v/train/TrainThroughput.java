package dev.t2v.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.core.bundle.VideoSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures training throughput (samples/s) and peak RSS of a preset at a batch size, on random latents and text of the
 * preset's full shape, through the real {@link Trainer} (loss, backward, clipping, AdamW, EMA; one checkpoint at the
 * end). The first step builds the gradient graph and is reported apart; the rate is the median of the others.
 *
 * <pre>
 * mvn -B -o -q -pl t2v-train -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=18g \
 *   -Dorg.bytedeco.javacpp.maxphysicalbytes=20g -Djava.awt.headless=true \
 *   -cp t2v-train/target/classes:t2v-train/target/test-classes:$(cat t2v-train/target/cp.txt) \
 *   dev.t2v.train.TrainThroughput PRESET [BATCH [STEPS]]
 * </pre>
 * Run one preset per JVM: peak RSS ({@code VmHWM}) is per process.
 */
public final class TrainThroughput {
    private TrainThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TrainThroughput PRESET [BATCH [STEPS]]  (presets: " + DenoiserConfig.presetNames()
                    + ")");
            System.exit(2);
        }
        String preset = args[0];
        DenoiserConfig p = DenoiserConfig.preset(preset);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : TrainingConfig.defaultBatchSize(preset);
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        RandomBatchSource data = new RandomBatchSource(batch * (steps + 1), p.frames(), p.latentChannels(),
                p.latentSize(), p.textDim(), p.maxTextTokens(), 1);
        TrainingConfig cfg = TrainingConfig.resolve(List.of(new ObjectMapper().readTree(String.format(Locale.ROOT,
                "{\"preset\":\"%s\",\"batch_size\":%d,\"epochs\":0,\"max_steps\":%d}", preset, batch, steps))));
        Path run = Files.createTempDirectory("t2v-throughput");
        // The bundle only records the text encoder; placeholder files stand in for one of the preset's width.
        Path text = Files.createFile(run.resolve("placeholder-text.onnx"));
        Path tokenizer = Files.createFile(run.resolve("placeholder-tokenizer.json"));
        BundleRefs refs = new BundleRefs(new TextEncoderRef(TextEncoderRef.Kind.ONNX, text.toString(),
                tokenizer.toString(), null, "random@0-0", p.textDim(), p.maxTextTokens()), null,
                new VideoSpec(p.frames(), 8, p.latentSize() * 8));
        Trainer trainer = new Trainer(cfg, data, null, refs, run, new PrintStream(PrintStream.nullOutputStream()));
        TrainingResult r = trainer.run(false);
        double[] rates = MetricsLog.read(run, Long.MAX_VALUE).stream().mapToDouble(MetricsLog.Row::samplesPerSecond)
                .toArray();
        double first = batch / rates[0];
        double[] rest = Arrays.stream(rates, 1, rates.length).sorted().toArray();
        double median = rest.length == 0 ? rates[0]
                : rest.length % 2 == 1 ? rest[rest.length / 2] : (rest[rest.length / 2 - 1] + rest[rest.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "%s: %.2fM params, batch %d, %d frames x %d tokens, text %d x %d | "
                        + "%.3f samples/s (median of steps 2-%d: %.2f s/step; first step with graph build %.1f s) | "
                        + "peak RSS %.0f MB | rates %s%n",
                preset, p.parameterCount() / 1e6, batch, p.frames(), p.tokensPerFrame(), p.maxTextTokens(),
                p.textDim(), median, steps, batch / median, first, r.peakRssBytes() / 1e6, Arrays.toString(rates));
        dev.t2v.core.bundle.ModelBundle.deleteRecursively(run);
    }
}
