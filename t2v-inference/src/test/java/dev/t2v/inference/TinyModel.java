package dev.t2v.inference;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.model.Denoiser;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.fixtures.OnnxFixtures;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The dummy model of the pipeline tests: the {@code tiny} denoiser (2 blocks, 4 heads × 8 dims, 4-frame window,
 * 8×8 latents) with every weight random (adaLN-Zero's zero-initialised layers would make it output zeros), the tiny
 * BERT text fixture (24 wide, 16 tokens) and the tiny VAE fixture (64×64 frames).
 */
public final class TinyModel {
    public static final double WEIGHT_STD = 0.08;
    public static final double SCALING_FACTOR = 0.18215;

    /** The fixture files. */
    public record Files(Path bert, Path tokenizer, Path vaeDir, Path vaeEncoder, Path vaeDecoder) {
    }

    private TinyModel() {
    }

    public static DenoiserConfig config() {
        return DenoiserConfig.preset("tiny").withTextDim(24).withMaxTextTokens(16);
    }

    public static SchedulerConfig scheduler() {
        return SchedulerConfig.seed();
    }

    public static Files write(Path dir) throws IOException {
        OnnxFixtures.TextModelFiles bert = OnnxFixtures.writeTinyBert(dir.resolve("bert"));
        OnnxFixtures.VaeFiles vae = OnnxFixtures.writeTinyVae(dir.resolve("vae"));
        return new Files(bert.model(), bert.tokenizer(), vae.dir(), vae.encoder(), vae.decoder());
    }

    /** The tiny denoiser with all weights drawn from {@code seed}. */
    public static Denoiser denoiser(long seed) {
        Denoiser d = Denoiser.create(config(), seed);
        randomise(d, seed);
        return d;
    }

    /** Overwrites every parameter in place with N(0, {@link #WEIGHT_STD}²); norm weights get 1 + that noise. */
    public static void randomise(Denoiser m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        m.weights().forEach((name, w) -> {
            SplittableRandom r = rng.split();
            float[] v = new float[(int) w.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * WEIGHT_STD);
            }
            INDArray noise = Nd4j.create(v, w.shape(), 'c').castTo(w.dataType());
            w.assign(name.matches(".*norm[^.]*\\.weight") ? noise.addi(1.0) : noise);
        });
    }

    public static OnnxTextEncoder textEncoder(Files f) throws IOException {
        return OnnxTextEncoder.open(f.tokenizer(), f.bert());
    }

    public static OnnxVae codec(Files f) throws IOException {
        return OnnxVae.fromDirectory(f.vaeDir(), SCALING_FACTOR);
    }

    /** A pipeline over fresh parts (it owns them), the denoiser from {@code seed}. */
    public static TextToVideoPipeline pipeline(Files f, long seed, PipelineOptions options) throws IOException {
        return pipeline(f, denoiser(seed), options);
    }

    public static TextToVideoPipeline pipeline(Files f, Denoiser denoiser, PipelineOptions options) throws IOException {
        DenoiserConfig cfg = denoiser.config();
        return new TextToVideoPipeline(new SameDiffBackend(denoiser), textEncoder(f), codec(f), scheduler(), null,
                cfg.frames(), GenerationDefaults.forWindow(cfg.frames()), options);
    }
}
