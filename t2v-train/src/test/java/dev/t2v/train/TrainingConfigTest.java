package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.config.SchedulerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonRoundTripGivesAnEqualConfig() {
        TrainingConfig c = TrainFixtures.config("lr_schedule", "\"cosine\"", "min_snr_gamma", "5.0");
        assertThat(TrainingConfig.fromJson(c.toJson())).isEqualTo(c);
    }

    @Test
    void missingKeysTakeTheDefaultsAndTheBatchSizeFollowsThePreset() {
        TrainingConfig c = TrainingConfig.fromJson("{\"preset\":\"base\"}");
        assertThat(c.batchSize()).isEqualTo(TrainingConfig.defaultBatchSize("base"));
        assertThat(c.learningRate()).isEqualTo(1e-4);
        assertThat(c.weightDecay()).isEqualTo(0.01);
        assertThat(c.gradClip()).isEqualTo(1.0);
        assertThat(c.cfgDropout()).isEqualTo(0.1);
        assertThat(c.scheduler()).isEqualTo(SchedulerConfig.seed());
    }

    @Test
    void seedRecipeSetsTheSeedProjectsHyperparameters() throws Exception {
        TrainingConfig c = TrainingConfig.resolve(List.of(TrainingConfig.recipe("seed")));
        assertThat(c.epochs()).isEqualTo(100);
        assertThat(c.batchSize()).isEqualTo(1);
        assertThat(c.accumulation()).isEqualTo(8);
        assertThat(c.learningRate()).isEqualTo(1e-4);
        assertThat(c.weightDecay()).isEqualTo(0.01);
        assertThat(c.gradClip()).isEqualTo(1.0);
        assertThat(c.saveEvery()).isZero(); // a checkpoint at each epoch's end only
        assertThat(c.scheduler()).isEqualTo(SchedulerConfig.seed());
        // A later layer wins over the recipe.
        TrainingConfig d = TrainingConfig.resolve(List.of(TrainingConfig.recipe("seed"), JSON.readTree("{\"epochs\":3}")));
        assertThat(d.epochs()).isEqualTo(3);
        assertThat(d.accumulation()).isEqualTo(8);
    }

    @Test
    void schedulerLayersMergeKeyByKey() throws Exception {
        TrainingConfig c = TrainingConfig.resolve(List.of(JSON.readTree("{\"scheduler\":{\"prediction_type\":\"v_prediction\"}}")));
        assertThat(c.scheduler().predictionType().name()).isEqualTo("V_PREDICTION");
        assertThat(c.scheduler().betaEnd()).isEqualTo(SchedulerConfig.seed().betaEnd());
    }

    @Test
    void unknownKeysAndBadValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"learning_rat\":1}")).hasMessageContaining("learning_rat");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"learning_rate\":-1}")).hasMessageContaining("learning_rate");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"batch_size\":\"big\"}")).hasMessageContaining("batch_size");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"preset\":\"huge\"}")).hasMessageContaining("preset");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"cfg_dropout\":1.5}")).hasMessageContaining("cfg_dropout");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"epochs\":0,\"max_steps\":0}"))
                .hasMessageContaining("epochs and max_steps");
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"val_split\":\"train\"}")).hasMessageContaining("val_split");
    }

    @Test
    void resumeConflictsListOnlyKeysThatChangeTheComputation() {
        TrainingConfig a = TrainFixtures.config();
        TrainingConfig longer = TrainFixtures.config("max_steps", "40", "keep", "9", "save_every", "3");
        TrainingConfig otherLr = TrainFixtures.config("learning_rate", "0.5");
        assertThat(longer.resumeConflicts(a)).isEmpty();
        assertThat(otherLr.resumeConflicts(a)).singleElement().asString().startsWith("learning_rate");
    }

    @Test
    void totalStepsTakeTheSmallerOfTheEpochBudgetAndMaxSteps() {
        TrainingConfig c = TrainFixtures.config("epochs", "3", "max_steps", "0", "accumulation", "4");
        assertThat(c.stepsPerEpoch(10)).isEqualTo(3); // 4 + 4 + 2 micro-batches
        assertThat(c.totalSteps(10)).isEqualTo(9);
        assertThat(TrainFixtures.config("epochs", "3", "max_steps", "5").totalSteps(10)).isEqualTo(5);
    }

    @Test
    void minSnrWeightingWithAZeroTerminalSnrScheduleIsRefused() {
        String zero = "\"scheduler\":{\"prediction_type\":\"v_prediction\",\"rescale_betas_zero_snr\":true}";
        assertThatThrownBy(() -> TrainingConfig.fromJson("{" + zero + ",\"min_snr_gamma\":5}"))
                .hasMessageContaining("min_snr_gamma").hasMessageContaining("rescale_betas_zero_snr")
                .hasMessageContaining("/(SNR+1)");
        assertThat(TrainingConfig.fromJson("{" + zero + "}").minSnrGamma()).isZero();
    }

    @Test
    void timestepSamplingAndInitRoundTripAndOlderConfigsTakeTheirDefaults() {
        TrainingConfig c = TrainingConfig.fromJson("{\"timestep_sampling\":\"logit-normal:0.5,1\",\"init\":\"/m\"}");
        assertThat(c.timestepSampling()).isEqualTo(dev.t2v.core.diffusion.TimestepSampling.logitNormal(0.5, 1));
        assertThat(TrainingConfig.fromJson(c.toJson())).isEqualTo(c);
        TrainingConfig mixed = TrainingConfig.fromJson("{\"timestep_sampling\":\"logit-normal:1,1+uniform:0.3\"}");
        assertThat(mixed.timestepSampling().uniformShare()).isEqualTo(0.3);
        assertThat(TrainingConfig.fromJson(mixed.toJson())).isEqualTo(mixed);
        TrainingConfig old = TrainingConfig.fromJson("{\"preset\":\"demo\"}");
        assertThat(old.timestepSampling()).isEqualTo(dev.t2v.core.diffusion.TimestepSampling.UNIFORM);
        assertThat(old.init()).isEmpty();
        assertThatThrownBy(() -> TrainingConfig.fromJson("{\"timestep_sampling\":\"beta\"}"))
                .hasMessageContaining("timestep sampling");
    }
}
