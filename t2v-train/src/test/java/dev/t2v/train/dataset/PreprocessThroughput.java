package dev.t2v.train.dataset;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoders;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessSummary;
import dev.t2v.data.preprocess.Preprocessor;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Measures decode throughput on the synthetic set (frames/s through {@link VideoReader}), preprocessing throughput
 * (clips/min) with the default MiniLM text encoder and the tiny VAE fixture, shard bytes per clip, and
 * {@link ClipDataset#batch} speed. Not a test; run it by hand from the repository root:
 * <pre>
 * mvn -B -o -q -pl t2v-train -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java -cp t2v-train/target/test-classes:t2v-train/target/classes:$(cat /tmp/cp.txt) \
 *     dev.t2v.train.dataset.PreprocessThroughput [videos=48] [threads=2]
 * </pre>
 * The set is {@code t2v synth}'s default geometry: 128x128, 16 frames at 8 fps, so two 8-frame windows per video.
 */
public final class PreprocessThroughput {
    private PreprocessThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int videos = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("t2v-preprocess-throughput");
        System.out.printf(Locale.ROOT, "%d synthetic videos 128x128, 16 frames at 8 fps; cores=%d; in %s%n", videos,
                Runtime.getRuntime().availableProcessors(), dir);
        Path data = dir.resolve("data");
        SyntheticSet.generate(data, SyntheticSpec.defaults(videos), ProgressBar.silent());

        // Decode: every frame of every video, one thread, twice (the first pass warms the JIT).
        for (int pass = 0; pass < 2; pass++) {
            long frames = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < videos; i++) {
                try (VideoReader r = VideoReader.open(data.resolve("videos/video" + i + ".mp4"), Optional.empty())) {
                    frames += r.readAll().frameCount();
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "decode pass %d: %d frames in %.2f s = %.0f frames/s (1 thread, "
                    + "readAll incl. RGB conversion)%n", pass, frames, s, frames / s);
        }

        OnnxFixtures.VaeFiles vae = OnnxFixtures.writeTinyVae(dir.resolve("vae"));
        try (OnnxTextEncoder text = TextEncoders.defaultMiniLm(32);
                OnnxVae codec = OnnxVae.open(vae.encoder(), vae.decoder(), new OnnxVae.Options(
                        OnnxVae.SD_SCALING_FACTOR, OnnxVae.DEFAULT_CHUNK_SIZE, 8, 4, threads > 1 ? 1 : 0))) {
            for (int t : new int[] {1, threads}) {
                Path out = dir.resolve("out-" + t);
                PreprocessConfig cfg = PreprocessConfig.defaults(data, out).withThreads(t);
                PreprocessSummary s = new Preprocessor(cfg, text, codec, Clock.systemUTC(), null).run();
                System.out.printf(Locale.ROOT, "preprocess, %d thread(s): %d clips in %.2f s = %.0f clips/min; "
                        + "%d bytes/clip; decode %.2f s, encode %.2f s (summed over threads)%n", t, s.clipsWritten(),
                        s.seconds(), s.clipsPerMinute(), s.bytesPerClip(), s.decodeSeconds(), s.encodeSeconds());
            }
            try (ClipDataset ds = ClipDataset.open(dir.resolve("out-" + threads), Set.of("train", "validate", "test"))) {
                int b = Math.min(16, ds.size());
                long n = 0;
                long t0 = System.nanoTime();
                for (int epoch = 0; epoch < 20; epoch++) {
                    for (int p = 0; p < ds.batchesPerEpoch(b); p++) {
                        ds.batch(0, epoch, p, b, 32);
                        n++;
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "ClipDataset.batch(B=%d, T=32): %.3f ms per batch over %d batches%n", b,
                        1000 * s / n, n);
            }
        }
    }
}
