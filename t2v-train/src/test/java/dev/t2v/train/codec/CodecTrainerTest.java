package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.util.ProgressBar;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class CodecTrainerTest {
    static FrameBank frames;

    @BeforeAll
    static void render() {
        frames = FrameBank.of(ShapeFrames.clips(6, 3, 64, 1));
    }

    private static CodecTrainingConfig config(int steps) {
        return new CodecTrainingConfig(steps, 4, 32, 3e-3, 2, 0.2, 3, 0.05, 1e-4);
    }

    @Test
    void aShortRunOnRenderedShapesLowersTheReconstructionLoss() {
        CodecTrainingConfig cfg = config(40);
        try (CodecModel model = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            CodecTrainer.Result r = CodecTrainer.train(model, frames, cfg, ProgressBar.silent());
            assertThat(r.steps()).isEqualTo(40);
            double first = 0;
            double last = 0;
            for (int i = 0; i < 8; i++) {
                first += r.mseHistory()[i];
                last += r.mseHistory()[32 + i];
            }
            assertThat(last).isLessThan(first * 0.6);
            assertThat(r.meanMse(8)).isEqualTo(last / 8, org.assertj.core.api.Assertions.within(1e-6));
            for (float p : r.penaltyHistory()) {
                assertThat(p).isPositive();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsBitForBit() {
        CodecTrainingConfig cfg = config(3);
        Map<String, INDArray> a;
        Map<String, INDArray> b;
        try (CodecModel m = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            CodecTrainer.train(m, frames, cfg, ProgressBar.silent());
            a = m.weights();
        }
        try (CodecModel m = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            CodecTrainer.train(m, frames, cfg, ProgressBar.silent());
            b = m.weights();
        }
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((name, w) -> assertThat(b.get(name)).as(name).isEqualTo(w));
        try (CodecModel init = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            assertThat(init.weights().get("dec.out.w")).isNotEqualTo(a.get("dec.out.w"));
        }
    }

    @Test
    void trainingUpdatesTheWeightsTheModelReportsAndCannotRunTwice() {
        CodecTrainingConfig cfg = config(2);
        try (CodecModel m = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            INDArray before = m.weights().get("enc.0.0.w");
            CodecTrainer.train(m, frames, cfg, ProgressBar.silent());
            assertThat(m.weights().get("enc.0.0.w")).isNotEqualTo(before);
            assertThatThrownBy(() -> CodecTrainer.train(m, frames, cfg, ProgressBar.silent()))
                    .hasMessageContaining("training graph");
        }
    }

    @Test
    void cropsMustFitTheFramesAndTheDownsampling() {
        try (CodecModel m = CodecModel.create(CodecArchitecture.tiny(), 1)) {
            assertThatThrownBy(() -> CodecTrainer.train(m, frames, config(1).withCrop(36), ProgressBar.silent()))
                    .hasMessageContaining("multiple of").hasMessageContaining("8");
            assertThatThrownBy(() -> CodecTrainer.train(m, frames, config(1).withCrop(72), ProgressBar.silent()))
                    .hasMessageContaining("larger than");
        }
    }
}
