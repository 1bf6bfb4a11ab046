package dev.t2v.inference;

import dev.t2v.data.encode.BundleEncoders;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.CodecRef;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.bundle.Provenance;
import dev.t2v.core.bundle.SamplingDefaults;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.core.bundle.VideoSpec;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import dev.t2v.data.fixtures.OnnxFixtures;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a random-weight model bundle of a denoiser preset, for timing the pipeline before any model is trained: the
 * preset's denoiser with every weight random (so no branch is short-cut by adaLN-Zero's zeros), the default MiniLM
 * text encoder and the tiny VAE fixture (8× downsampling, so frames have the real size).
 *
 * <pre>
 * mvn -B -o -q -pl t2v-inference -am test-compile -DskipTests
 * mvn -B -o -q -pl t2v-inference dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * CLASSPATH=t2v-inference/target/test-classes:t2v-inference/target/classes:$(cat t2v-inference/target/cp.txt) \
 *   OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java dev.t2v.inference.RandomBundle PRESET OUT_DIR [SEED]
 * ./t2v generate --model OUT_DIR --prompt "a red circle moving left" --out /tmp/x.mp4 --sampler dpmpp --steps 20
 * </pre>
 */
public final class RandomBundle {
    private RandomBundle() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RandomBundle PRESET OUT_DIR [SEED]   (presets: " + DenoiserConfig.presetNames() + ")");
            System.exit(2);
        }
        Path out = Path.of(args[1]).toAbsolutePath();
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        write(DenoiserConfig.preset(args[0]), out, seed);
        System.out.println("wrote a random " + args[0] + " bundle to " + out);
    }

    public static Path write(DenoiserConfig cfg, Path target, long seed) throws IOException {
        if (cfg.textDim() != TextEncoders.MINILM_DIM) {
            throw new IllegalArgumentException("this tool pairs the denoiser with MiniLM (384 wide); the config has text_dim "
                    + cfg.textDim());
        }
        Path fixtures = target.resolveSibling(target.getFileName() + ".fixtures");
        OnnxFixtures.VaeFiles vae = OnnxFixtures.writeTinyVae(fixtures.resolve("vae"));
        int maxTokens = Math.min(cfg.maxTextTokens(), TextEncoders.MINILM_DEFAULT_MAX_TOKENS);
        NullTextEmbedding nullText;
        try (TextEncoder enc = TextEncoders.defaultMiniLm(maxTokens)) {
            TextEmbeddings empty = enc.encode(List.of(""));
            nullText = new NullTextEmbedding(
                    empty.embeddings().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).dup(), // [T0,D]
                    empty.mask().getRow(0).dup()); // [T0]
        }
        Map<String, INDArray> weights = new LinkedHashMap<>();
        try (Denoiser d = Denoiser.create(cfg, seed)) {
            TinyModel.randomise(d, seed);
            d.weights().forEach((k, v) -> weights.put(k, v.dup()));
        }
        CodecRef codec;
        try (OnnxVae v = OnnxVae.fromDirectory(vae.dir(), OnnxVae.Options.of(TinyModel.SCALING_FACTOR))) {
            codec = BundleEncoders.ref(v);
        }
        int size = cfg.latentSize() * codec.downsample();
        BundleInfo info = new BundleInfo(cfg, TinyModel.scheduler(), BundleEncoders.miniLm(maxTokens), codec,
                new VideoSpec(cfg.frames(), 8, size), SamplingDefaults.defaults(),
                new Provenance("random-init", 0, 0, seed, null, java.time.Instant.now().toString(), null,
                        Provenance.currentVersion()));
        ModelBundle.write(target, info, weights, nullText);
        return target;
    }
}
