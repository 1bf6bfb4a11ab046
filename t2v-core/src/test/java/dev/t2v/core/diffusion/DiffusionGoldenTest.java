package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Compares the Java diffusion maths, in DOUBLE, with golden/diffusion_golden.json written by the independent numpy
 * reference golden/make_golden.py (see golden/README.md for the diffusers semantics it reproduces).
 */
class DiffusionGoldenTest {
    private static final double REL_TOL = 1e-6;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = DiffusionGoldenTest.class.getResourceAsStream("/golden/diffusion_golden.json")) {
            assertThat(in).as("golden/diffusion_golden.json on the test classpath").isNotNull();
            golden = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void alphasCumprodMatchReferenceForEveryScheduleWithAndWithoutZeroSnr() {
        JsonNode cases = golden.get("alphas_cumprod");
        assertThat(cases.size()).isEqualTo(6);
        for (JsonNode c : cases) {
            SchedulerConfig cfg = config(c);
            NoiseSchedule schedule = NoiseSchedule.of(cfg);
            int[] t = ints(c.get("t"));
            double[] actual = IntStream.of(t).mapToDouble(schedule::alphaCumprod).toArray();
            assertClose(actual, doubles(c.get("values")), cfg.betaSchedule().id() + " rescale=" + cfg.rescaleZeroTerminalSnr());
            if (cfg.rescaleZeroTerminalSnr()) {
                assertThat(schedule.alphaCumprod(cfg.numTrainTimesteps() - 1)).isZero();
            }
        }
    }

    @Test
    void timestepsMatchReferenceForEverySpacing() {
        int checked = 0;
        for (JsonNode c : golden.get("timesteps")) {
            SchedulerConfig cfg = config(c);
            int n = c.get("n").asInt();
            Scheduler s = "dpmpp".equals(c.get("rule").asText())
                    ? new DpmSolverMultistepScheduler(cfg) : new DdimScheduler(cfg, 0, 0);
            s.setTimesteps(n);
            assertThat(s.timesteps())
                    .as("%s %s offset %d n=%d", c.get("rule").asText(), cfg.timestepSpacing().id(), cfg.stepsOffset(), n)
                    .containsExactly(ints(c.get("timesteps")));
            checked++;
        }
        assertThat(checked).isEqualTo(72);
    }

    @Test
    void addNoiseAndVelocityMatchReferenceWithPerSampleTimesteps() {
        for (JsonNode c : golden.get("forward")) {
            SchedulerConfig cfg = config(c);
            long[] shape = longs(c.get("shape"));
            INDArray x0 = array(c.get("x0"), shape);
            INDArray noise = array(c.get("noise"), shape);
            int[] t = ints(c.get("t"));
            Scheduler s = new DdpmScheduler(cfg, 0);
            assertClose(s.addNoise(x0, noise, t), doubles(c.get("noisy")), "addNoise");
            assertClose(s.velocity(x0, noise, t), doubles(c.get("velocity")), "velocity");
            assertClose(new TrainingTargets(cfg).noisySample(x0, noise, t), doubles(c.get("noisy")), "noisySample");
        }
    }

    @Test
    void guidanceWithAndWithoutRescaleMatchesReference() {
        for (JsonNode c : golden.get("guidance")) {
            long[] shape = longs(c.get("shape"));
            INDArray out = Guidance.apply(array(c.get("cond"), shape), array(c.get("uncond"), shape),
                    c.get("scale").asDouble(), c.get("rescale").asDouble());
            assertClose(out, doubles(c.get("result")), "guidance " + c.get("scale") + "/" + c.get("rescale"));
        }
    }

    @Test
    void minSnrWeightsMatchReferenceForEveryPredictionType() {
        for (JsonNode c : golden.get("min_snr")) {
            SchedulerConfig cfg = config(c).withPredictionType(PredictionType.fromId(c.get("prediction_type").asText()));
            double[] w = new TrainingTargets(cfg).minSnrWeights(ints(c.get("t")), c.get("gamma").asDouble());
            assertClose(w, doubles(c.get("weights")), "min-SNR " + cfg.predictionType().id() + " gamma " + c.get("gamma"));
        }
    }

    static Stream<Arguments> loops() throws IOException {
        if (golden == null) {
            load();
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : golden.get("loops")) {
            String label = c.get("sampler").asText() + " eta=" + c.get("eta").asDouble() + " "
                    + c.get("config").get("beta_schedule").asText() + " " + c.get("config").get("timestep_spacing").asText()
                    + " " + c.get("config").get("prediction_type").asText()
                    + (c.get("config").get("rescale_betas_zero_snr").asBoolean() ? " zero-snr" : "")
                    + (c.get("config").get("clip_sample").asBoolean() ? " clip" : "")
                    + " n=" + c.get("n").asInt() + (c.get("strength").isNull() ? "" : " strength=" + c.get("strength").asDouble());
            out.add(Arguments.of(label, c));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loops")
    void fullSamplingLoopOnDummyModelMatchesReference(String label, JsonNode c) {
        SchedulerConfig cfg = config(c);
        long[] shape = longs(golden.get("shape"));
        List<INDArray> noiseSeq = new ArrayList<>();
        for (JsonNode z : golden.get("noise_sequence")) {
            noiseSeq.add(array(z, shape));
        }
        int[] draws = {0};
        NoiseSource fixed = (s, dt) -> noiseSeq.get(draws[0]++);
        double eta = c.get("eta").asDouble();
        Scheduler scheduler = switch (c.get("sampler").asText()) {
            case "ddpm" -> new DdpmScheduler(cfg, fixed);
            case "ddim" -> new DdimScheduler(cfg, eta, fixed);
            case "dpmpp" -> new DpmSolverMultistepScheduler(cfg);
            default -> throw new IllegalStateException(c.get("sampler").asText());
        };
        scheduler.setTimesteps(c.get("n").asInt());
        int[] ts = scheduler.timesteps();
        INDArray x;
        if (c.get("strength").isNull()) {
            x = array(golden.get("x_init"), shape);
        } else {
            ts = scheduler.timestepsForStrength(c.get("strength").asDouble());
            int[] first = new int[(int) shape[0]];
            java.util.Arrays.fill(first, ts[0]);
            x = scheduler.addNoise(array(golden.get("x_clean"), shape), fixed.next(shape, DataType.DOUBLE), first);
        }
        assertThat(ts).containsExactly(ints(c.get("timesteps")));

        JsonNode trajectory = c.get("trajectory");
        StepOutput last = null;
        for (int i = 0; i < ts.length; i++) {
            last = scheduler.step(dummyModel(x, ts[i]), ts[i], x);
            x = last.prevSample();
            assertThat(x.dataType()).isEqualTo(DataType.DOUBLE);
            assertClose(x, doubles(trajectory.get(i)), label + " step " + (i + 1) + " (t=" + ts[i] + ")");
        }
        assertClose(last.predOriginalSample(), doubles(c.get("final_pred_original")), label + " final x0");
        assertThat(draws[0]).as("noise draws").isEqualTo(c.get("noise_draws").asInt());
    }

    /** The reference's stand-in denoiser: 0.9·sin(x) + 0.1·cos(t/100). */
    private static INDArray dummyModel(INDArray x, int t) {
        return Transforms.sin(x, true).muli(0.9).addi(0.1 * Math.cos(t / 100.0));
    }

    private static SchedulerConfig config(JsonNode c) {
        return SchedulerConfig.fromJson(c.get("config").toString());
    }

    private static void assertClose(INDArray actual, double[] expected, String what) {
        assertThat(actual.length()).as(what + " length").isEqualTo(expected.length);
        assertClose(actual.castTo(DataType.DOUBLE).dup('c').data().asDouble(), expected, what);
    }

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            // relative, with a floor far below anything the reference holds, for exact zeros
            if (!(err <= REL_TOL * Math.abs(expected[i]) + 1e-12)) {
                fail(what + ": element " + i + " is " + actual[i] + ", reference " + expected[i]
                        + " (relative error " + err / Math.abs(expected[i]) + ")");
            }
        }
    }

    private static INDArray array(JsonNode flat, long[] shape) {
        return Nd4j.create(doubles(flat), shape, DataType.DOUBLE);
    }

    private static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asLong();
        }
        return out;
    }
}
