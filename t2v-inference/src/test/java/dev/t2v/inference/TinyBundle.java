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
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEmbeddings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a complete {@code tiny} model bundle (random weights, tiny BERT text encoder, tiny VAE) with
 * {@link ModelBundle#write}, for load and CLI tests: 4-frame window, 64×64 frames, default sampling ddim 3 steps.
 */
public final class TinyBundle {
    public static final int FRAMES = 4;
    public static final int SIZE = 64;
    public static final double FPS = 8;

    private TinyBundle() {
    }

    /** Writes the bundle to {@code target} (its fixtures go to {@code target}'s sibling {@code .fixtures}). */
    public static Path write(Path target, long seed) throws IOException {
        TinyModel.Files files = TinyModel.write(target.resolveSibling(target.getFileName() + ".fixtures"));
        DenoiserConfig cfg = TinyModel.config();
        Map<String, INDArray> weights = new LinkedHashMap<>();
        try (Denoiser d = TinyModel.denoiser(seed)) {
            d.weights().forEach((k, v) -> weights.put(k, v.dup()));
        }
        NullTextEmbedding nullText;
        TextEncoderRef textRef;
        try (OnnxTextEncoder enc = TinyModel.textEncoder(files)) {
            TextEmbeddings empty = enc.encode(List.of(""));
            INDArray e = empty.embeddings().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).dup(); // [T0,D]
            INDArray m = empty.mask().getRow(0).dup(); // [T0]
            nullText = new NullTextEmbedding(e, m);
            textRef = BundleEncoders.ref(enc);
        }
        CodecRef codecRef;
        try (OnnxVae vae = OnnxVae.fromDirectory(files.vaeDir(), OnnxVae.Options.of(TinyModel.SCALING_FACTOR))) {
            codecRef = BundleEncoders.ref(vae);
        }
        BundleInfo info = new BundleInfo(cfg, TinyModel.scheduler(), textRef, codecRef, new VideoSpec(FRAMES, FPS, SIZE),
                new SamplingDefaults("ddim", 3, 4.0, null),
                new Provenance("0".repeat(64), 0, 0, seed, null, "2026-01-01T00:00:00Z", null, "test"));
        ModelBundle.write(target, info, weights, nullText);
        return target;
    }
}
