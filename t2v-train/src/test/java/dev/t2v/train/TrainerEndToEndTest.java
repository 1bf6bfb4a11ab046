package dev.t2v.train;

import dev.t2v.data.encode.BundleEncoders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.model.Denoiser;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tiny preset trained on a real (tiny) preprocessed synthetic set learns, and its bundle is complete. */
class TrainerEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void trainingTinyOnASyntheticSetLowersTheValidationLossAndWritesALoadableBundle() throws Exception {
        Path preprocessed = TinyDataset.create(tmp, 24);
        TrainingConfig cfg = TrainFixtures.config("max_steps", "100", "batch_size", "4", "learning_rate", "2e-3",
                "warmup_steps", "10", "val_every", "50", "val_batches", "4", "ema_decay", "0.9",
                // The first 72 synthetic clips cover each combination once and all go to train, except the held-out
                // combinations, which go to test: held-out clips are what this small set can validate on.
                "val_split", "\"test\"");
        Path run = tmp.resolve("run");
        TrainingResult result;
        try (TrainingData data = TrainingData.open(preprocessed, cfg.trainSplit(), cfg.valSplit())) {
            assertThat(data.validation()).isNotNull();
            Trainer trainer = new Trainer(cfg, data.train(), data.validation(),
                    data.refs(TrainingData.ModelFiles.none()), run, TrainFixtures.quiet());
            assertThat(trainer.modelConfig().textDim()).isEqualTo(24); // adopted from the data
            result = trainer.run(false);
        }
        List<MetricsLog.Row> val = MetricsLog.read(run, Long.MAX_VALUE).stream().filter(r -> r.valLoss() != null)
                .toList();
        assertThat(val.get(0).step()).isZero(); // the untrained model
        double first = val.get(0).valLoss();
        double last = val.get(val.size() - 1).valLoss();
        assertThat(last).as("validation loss after training, from %.4f at step %d", first, val.get(0).step())
                .isLessThan(0.7 * first);

        ModelBundle bundle = ModelBundle.read(result.model());
        assertThat(bundle.info().textEncoder().kind()).isEqualTo(TextEncoderRef.Kind.ONNX);
        assertThat(bundle.info().provenance().steps()).isEqualTo(100);
        assertThat(Files.isRegularFile(bundle.directory().resolve("codec/decoder.onnx"))).isTrue();
        try (Denoiser model = bundle.loadDenoiser(); TextEncoder text = BundleEncoders.openTextEncoder(bundle);
                LatentCodec codec = BundleEncoders.openCodec(bundle)) {
            TextEmbeddings e = text.encode(List.of("a red circle moving left"));
            INDArray x = Nd4j.zeros(1, TinyDataset.FRAMES, 4, 8, 8);
            INDArray out = model.forward(x, Nd4j.create(new float[] {500f}, new long[] {1}, 'c'), e.embeddings(),
                    e.mask());
            assertThat(out.shape()).containsExactly(1, TinyDataset.FRAMES, 4, 8, 8);
            INDArray frames = codec.decode(out.reshape(TinyDataset.FRAMES, 4, 8, 8));
            assertThat(frames.shape()).containsExactly(TinyDataset.FRAMES, 3, TinyDataset.SIZE, TinyDataset.SIZE);
        }
    }
}
