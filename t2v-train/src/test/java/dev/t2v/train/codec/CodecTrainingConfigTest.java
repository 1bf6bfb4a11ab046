package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CodecTrainingConfigTest {
    @Test
    void learningRateWarmsUpLinearlyThenFollowsACosineToTheFinalFraction() {
        CodecTrainingConfig c = new CodecTrainingConfig(110, 4, 32, 1e-3, 10, 0.1, 0, 0, 0);
        assertThat(c.learningRateAt(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(c.learningRateAt(9)).isCloseTo(1e-3, within(1e-12));
        assertThat(c.learningRateAt(10)).isCloseTo(1e-3, within(1e-12));
        // halfway through the decay the cosine is at its midpoint
        assertThat(c.learningRateAt(10 + 99 / 2)).isCloseTo(1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 49 / 99.0))),
                within(1e-12));
        assertThat(c.learningRateAt(109)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void defaultsWarmUpOverTheFirstTwentiethOfTheSteps() {
        CodecTrainingConfig c = CodecTrainingConfig.defaults(2000);
        assertThat(c.warmupSteps()).isEqualTo(100);
        assertThat(c.batch()).isEqualTo(CodecTrainingConfig.DEFAULT_BATCH);
        assertThat(c.crop()).isEqualTo(CodecTrainingConfig.DEFAULT_CROP);
    }

    @Test
    void initSeedDependsOnTheSeedAndDiffersFromIt() {
        CodecTrainingConfig a = CodecTrainingConfig.defaults(10).withSeed(1);
        assertThat(a.initSeed()).isEqualTo(CodecTrainingConfig.defaults(20).withSeed(1).initSeed());
        assertThat(a.initSeed()).isNotEqualTo(CodecTrainingConfig.defaults(10).withSeed(2).initSeed());
        assertThat(a.initSeed()).isNotEqualTo(1);
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(0)).hasMessageContaining("steps");
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(10).withBatch(0)).hasMessageContaining("batch");
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(10).withCrop(4)).hasMessageContaining("crop");
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(10).withLearningRate(0)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(10).withRegulariser(-1, 0)).hasMessageContaining("latentNoise");
        assertThatThrownBy(() -> CodecTrainingConfig.defaults(10).withRegulariser(0, Double.NaN))
                .hasMessageContaining("latentPenalty");
    }
}
