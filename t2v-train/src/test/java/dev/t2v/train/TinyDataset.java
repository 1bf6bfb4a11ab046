package dev.t2v.train;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.data.preprocess.Preprocessor;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A real preprocessed dataset shaped for the {@code tiny} preset: a synthetic moving-shapes set of 64x64 clips, cut
 * into 4-frame windows and encoded with the tiny ONNX VAE (8x8x4 latents) and the tiny BERT text model (24 wide) of
 * the t2v-data test fixtures.
 */
final class TinyDataset {
    static final int SIZE = 64;
    static final int FRAMES = 4;

    private TinyDataset() {
    }

    /** Writes {@code dir/data} (videos), {@code dir/models} and {@code dir/preprocessed}; returns the latter. */
    static Path create(Path dir, int videos) throws IOException {
        Path data = dir.resolve("data");
        SyntheticSet.generate(data, SyntheticSpec.of(videos, SIZE, 16, 8, 11), ProgressBar.silent());
        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(dir.resolve("models"));
        Path out = dir.resolve("preprocessed");
        PreprocessConfig cfg = PreprocessConfig.defaults(data, out).withClip(FRAMES, 8, SIZE, 2);
        try (OnnxTextEncoder text = models.openText(); OnnxVae codec = models.openCodec()) {
            new Preprocessor(cfg, text, codec, PreprocessFixtures.FIXED_CLOCK,
                    new PrintStream(OutputStream.nullOutputStream())).run();
        }
        return out;
    }
}
