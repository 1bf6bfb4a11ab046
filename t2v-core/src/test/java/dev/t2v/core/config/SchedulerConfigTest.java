package dev.t2v.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.diffusion.BetaSchedule;
import dev.t2v.core.diffusion.PredictionType;
import dev.t2v.core.diffusion.TimestepSpacing;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {
    /** Stable Diffusion 1.5's scheduler/scheduler_config.json, as published. */
    private static final String SD15 = """
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.6.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "num_train_timesteps": 1000,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null,
              "clip_sample": false
            }""";

    @Test
    void seedPresetIsStableDiffusionsSchedule() {
        SchedulerConfig seed = SchedulerConfig.seed();
        assertThat(seed.numTrainTimesteps()).isEqualTo(1000);
        assertThat(seed.betaSchedule()).isEqualTo(BetaSchedule.SCALED_LINEAR);
        assertThat(seed.betaStart()).isEqualTo(0.00085);
        assertThat(seed.betaEnd()).isEqualTo(0.012);
        assertThat(seed.predictionType()).isEqualTo(PredictionType.EPSILON);
        assertThat(SchedulerConfig.fromJson(SD15)).isEqualTo(seed);
    }

    @Test
    void jsonRoundTripsWithDiffusersKeyNames() {
        SchedulerConfig cfg = SchedulerConfig.seed().withPredictionType(PredictionType.V_PREDICTION)
                .withRescaleZeroTerminalSnr(true).withTimestepSpacing(TimestepSpacing.TRAILING, 0)
                .withClipSample(true, 1.5);
        String json = cfg.toJson();
        assertThat(json).contains("\"num_train_timesteps\" : 1000", "\"prediction_type\" : \"v_prediction\"",
                "\"rescale_betas_zero_snr\" : true", "\"timestep_spacing\" : \"trailing\"", "\"beta_schedule\" : \"scaled_linear\"");
        assertThat(SchedulerConfig.fromJson(json)).isEqualTo(cfg);
    }

    @Test
    void missingAndNullKeysTakeTheDefaults() {
        assertThat(SchedulerConfig.fromJson("{}")).isEqualTo(SchedulerConfig.defaults());
        assertThat(SchedulerConfig.fromJson("{\"timestep_spacing\": null, \"beta_schedule\": \"squaredcos_cap_v2\"}"))
                .isEqualTo(SchedulerConfig.defaults().withBetaSchedule(BetaSchedule.SQUAREDCOS_CAP_V2, 0.0001, 0.02));
    }

    @Test
    void invalidJsonValuesNameTheKey() {
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"beta_schedule\": \"cosine\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta_schedule")
                .hasMessageContaining("squaredcos_cap_v2");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"num_train_timesteps\": 1000.5}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_train_timesteps");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"beta_end\": 0.00001}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta_end");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"trained_betas\": [0.1, 0.2]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trained_betas");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"steps_offset\": "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void constructorRejectsOutOfRangeValues() {
        SchedulerConfig d = SchedulerConfig.defaults();
        assertThatThrownBy(() -> d.withNumTrainTimesteps(1)).hasMessageContaining("num_train_timesteps");
        assertThatThrownBy(() -> d.withBetaSchedule(BetaSchedule.LINEAR, 0, 0.02)).hasMessageContaining("beta_start");
        assertThatThrownBy(() -> d.withBetaSchedule(BetaSchedule.LINEAR, 0.02, 0.01)).hasMessageContaining("beta_end");
        assertThatThrownBy(() -> d.withTimestepSpacing(TimestepSpacing.LEADING, -1)).hasMessageContaining("steps_offset");
        assertThatThrownBy(() -> d.withClipSample(true, 0)).hasMessageContaining("clip_sample_range");
        assertThatThrownBy(() -> d.withPredictionType(null)).hasMessageContaining("prediction_type");
    }

    @Test
    void zeroTerminalSnrWithEpsilonPredictionIsRejected() {
        assertThatThrownBy(() -> SchedulerConfig.seed().withRescaleZeroTerminalSnr(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rescale_betas_zero_snr").hasMessageContaining("v_prediction");
    }

    @Test
    void snrShiftRoundTripsAndDefaultsToOffInOlderConfigs() {
        SchedulerConfig cfg = SchedulerConfig.seed().withSnrShift(4);
        assertThat(cfg.toJson()).contains("\"snr_shift\" : 4.0");
        assertThat(SchedulerConfig.fromJson(cfg.toJson())).isEqualTo(cfg);
        assertThat(SchedulerConfig.fromJson("{\"beta_schedule\": \"scaled_linear\"}").snrShift()).isEqualTo(1.0);
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"snr_shift\": -2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snr_shift");
    }
}
