package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.train.Checkpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code t2v train} on a tiny preprocessed synthetic set: flag checks, exact resume through the command line, and a
 * run killed with SIGKILL that resumes to the weights of an uninterrupted one.
 */
class TrainCommandTest {
    private static final int STEPS = 40;
    private static final List<String> COMPARED = List.of(Checkpoints.WEIGHTS, Checkpoints.OPTIMIZER,
            ModelBundle.DENOISER_FILE);

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path preprocessed;
    static Path config;
    /** The uninterrupted reference run of {@link #STEPS} steps. */
    static Path reference;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void fixtures() throws IOException {
        Path videos = shared.resolve("videos");
        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(shared.resolve("models"));
        preprocessed = shared.resolve("preprocessed");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Main main = Main.withAllCommands();
        assertThat(main.run(new String[] {"synth", "--out", videos.toString(), "--videos", "12", "--size", "64"},
                quiet, quiet)).isZero();
        assertThat(main.run(new String[] {"preprocess", "--data", videos.toString(), "--out", preprocessed.toString(),
                "--text-model", models.text().model().toString(), "--tokenizer", models.text().tokenizer().toString(),
                "--max-tokens", "16", "--vae", models.vae().dir().toString(), "--size", "64", "--frames", "4",
                // the tiny random VAE's latents have std ~0.05 at SD's 0.18215: scale them to ~1, as train requires
                "--scaling-factor", "3.5"}, quiet, quiet)).isZero();
        // The first synthetic clips are all train except the held-out combinations (test): validate on those.
        config = Files.writeString(shared.resolve("train.json"), "{\"val_split\": \"test\", \"val_batches\": 2}");
        reference = shared.resolve("reference");
        ByteArrayOutputStream refErr = new ByteArrayOutputStream();
        assertThat(main.run(args(reference, "--max-steps", String.valueOf(STEPS)), quiet, new PrintStream(refErr)))
                .as(refErr.toString()).isZero();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.withAllCommands().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** {@code train} on the tiny data with the test's settings, {@code extra} flags added or replacing. */
    static String[] args(Path run, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--data", preprocessed.toString());
        flags.put("--out", run.toString());
        flags.put("--config", config.toString());
        flags.put("--preset", "tiny");
        flags.put("--batch", "2");
        flags.put("--accum", "2");
        flags.put("--lr", "1e-3");
        flags.put("--save-every", "4");
        flags.put("--keep", "50");
        flags.put("--seed", "3");
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> a = new ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        return a.toArray(String[]::new);
    }

    private static void assertSameFinalState(Path run) throws IOException {
        Path a = reference.resolve(Checkpoints.DIR).resolve(Checkpoints.name(STEPS));
        Path b = run.resolve(Checkpoints.DIR).resolve(Checkpoints.name(STEPS));
        for (String f : COMPARED) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void aDatasetWhoseLatentStdIsFarFromOneIsRefusedWithTheFigure() throws IOException {
        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(tmp.resolve("models"));
        Path badly = tmp.resolve("badly-scaled");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertThat(Main.withAllCommands().run(new String[] {"preprocess", "--data", shared.resolve("videos").toString(),
                "--out", badly.toString(), "--text-model", models.text().model().toString(), "--tokenizer",
                models.text().tokenizer().toString(), "--max-tokens", "16", "--vae", models.vae().dir().toString(),
                "--size", "64", "--frames", "4", "--limit", "4", "--scaling-factor", "0.00001"}, quiet, quiet)).isZero();
        Path run = tmp.resolve("refused");
        assertThat(run(args(run, "--data", badly.toString(), "--max-steps", "2"))).as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("t2v train: --data: " + badly + ": the latents' std is ",
                "far from the 1 the noise schedule expects", "scaling factor 1.0E-5");
        assertThat(run.resolve("model")).doesNotExist();
    }

    @Test
    void trainingWritesAModelBundleMetricsAndAPlot() throws IOException {
        ModelBundle bundle = ModelBundle.read(reference.resolve("model"));
        assertThat(bundle.info().provenance().steps()).isEqualTo(STEPS);
        assertThat(bundle.info().denoiser().textDim()).isEqualTo(24);
        assertThat(bundle.info().codec()).isNotNull();
        assertThat(reference.resolve("metrics.csv")).isNotEmptyFile();
        assertThat(reference.resolve("loss.png")).isNotEmptyFile();
        assertThat(Files.readString(reference.resolve("config.json"))).contains("\"val_split\" : \"test\"");
    }

    @Test
    void stoppingAtMaxStepsAndResumingMatchesTheUninterruptedRun() throws IOException {
        Path run = tmp.resolve("run");
        assertThat(run(args(run, "--max-steps", "18"))).as(stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("trained 18 steps").contains("samples/s")
                .contains("peak memory");
        assertThat(run(args(run, "--max-steps", String.valueOf(STEPS), "--resume", null))).as(stderr()).isZero();
        assertThat(stderr()).contains("resuming");
        assertSameFinalState(run);
    }

    @Test
    void aRunKilledWithSigkillResumesToTheWeightsOfAnUninterruptedRun() throws Exception {
        Path run = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args(run, "--max-steps", String.valueOf(STEPS))));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("OPENBLAS_THREAD_TIMEOUT", "4");
        Process child = pb.start();
        try {
            Path first = run.resolve(Checkpoints.DIR).resolve(Checkpoints.name(4)).resolve(Checkpoints.STATE);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(first) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(first).as("a checkpoint before the kill; child %s; its log:%n%s",
                    child.isAlive() ? "running" : "exited with " + child.exitValue(),
                    Files.readString(tmp.resolve("child.log"))).exists();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, files as they are
            child.waitFor(1, TimeUnit.MINUTES);
        }
        assertThat(run.resolve("model")).as("killed before the end").doesNotExist();

        assertThat(run(args(run, "--max-steps", String.valueOf(STEPS), "--resume", null))).as(stderr()).isZero();
        assertSameFinalState(run);
        try (Stream<Path> s = Files.list(run.resolve(Checkpoints.DIR))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void badFlagValuesExitWithCode2NamingTheFlag() {
        Path run = tmp.resolve("bad");
        assertThat(run(args(run, "--lr", "-1"))).isEqualTo(2);
        assertThat(stderr()).contains("--lr");
        assertThat(run(args(run, "--batch", "0"))).isEqualTo(2);
        assertThat(stderr()).contains("--batch");
        assertThat(run(args(run, "--lr-schedule", "linear"))).isEqualTo(2);
        assertThat(stderr()).contains("--lr-schedule");
        assertThat(run(args(run, "--cfg-dropout", "1.5"))).isEqualTo(2);
        assertThat(stderr()).contains("--cfg-dropout");
        assertThat(run(args(run, "--ema-decay", "1"))).isEqualTo(2);
        assertThat(stderr()).contains("--ema-decay");
        assertThat(run(args(run, "--preset", "huge"))).isEqualTo(2);
        assertThat(stderr()).contains("--preset");
        assertThat(run(args(run, "--recipe", "fast"))).isEqualTo(2);
        assertThat(stderr()).contains("--recipe");
        assertThat(run(args(run, "--learning-rate", "1"))).isEqualTo(2);
        assertThat(stderr()).contains("learning-rate");
        assertThat(run("train", "--out", run.toString())).isEqualTo(2);
        assertThat(stderr()).contains("--data");
        assertThat(run).doesNotExist();
    }

    @Test
    void minSnrWithAZeroTerminalSnrScheduleIsRefusedNamingBothFlags() {
        Path run = tmp.resolve("zero-weight");
        assertThat(run(args(run, "--prediction-type", "v_prediction", "--zero-terminal-snr", null,
                "--min-snr-gamma", "5"))).isEqualTo(2);
        assertThat(stderr()).contains("--min-snr-gamma").contains("--zero-terminal-snr").contains("is 0");
        assertThat(run).doesNotExist();
    }

    @Test
    void scheduleFlagsReachTheTrainedBundle() throws IOException {
        Path run = tmp.resolve("shifted");
        assertThat(run(args(run, "--max-steps", "2", "--prediction-type", "v_prediction", "--zero-terminal-snr", null,
                "--snr-shift", "3", "--timestep-sampling", "logit-normal:0.5,1", "--timestep-spacing", "trailing")))
                .as(stderr()).isZero();
        ModelBundle bundle = ModelBundle.read(run.resolve("model"));
        assertThat(bundle.info().scheduler().snrShift()).isEqualTo(3.0);
        assertThat(bundle.info().scheduler().rescaleZeroTerminalSnr()).isTrue();
        assertThat(bundle.info().scheduler().timestepSpacing().id()).isEqualTo("trailing");
        assertThat(bundle.info().provenance().trainingConfigJson()).contains("\"timestep_sampling\":\"logit-normal:0.5,1\"");
        assertThat(run(args(tmp.resolve("bad"), "--timestep-sampling", "normal"))).isEqualTo(2);
        assertThat(stderr()).contains("--timestep-sampling").contains("logit-normal:LOC,SCALE");
        assertThat(run(args(tmp.resolve("bad"), "--snr-shift", "0"))).isEqualTo(2);
        assertThat(stderr()).contains("--snr-shift");
    }

    @Test
    void initStartsFromABundlesWeightsAfterCheckingItFitsTheData() throws IOException {
        Path run = tmp.resolve("fine-tune");
        Path from = reference.resolve(Checkpoints.DIR).resolve(Checkpoints.name(STEPS));
        assertThat(run(args(run, "--max-steps", "1", "--init", from.toString()))).as(stderr()).isZero();
        assertThat(stderr()).contains("starting from the weights of");
        // One step from the reference's final raw weights, not from fresh ones: the first step's loss is already the
        // trained model's, far below the untrained run's first.
        double[] trained = firstLoss(run);
        double[] fresh = firstLoss(reference);
        assertThat(trained[0]).isLessThan(fresh[0]);

        assertThat(run(args(tmp.resolve("wrong"), "--max-steps", "1", "--init", preprocessed.toString()))).isEqualTo(2);
        assertThat(stderr()).contains("init").contains("not a model bundle");
    }

    /** The training loss of metrics.csv's first trained step (row 1; row 0 is the untrained validation). */
    private static double[] firstLoss(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (cells[header.indexOf("step")].equals("1")) {
                return new double[] {Double.parseDouble(cells[header.indexOf("loss")])};
            }
        }
        throw new AssertionError("no step 1 in " + run.resolve("metrics.csv"));
    }

    @Test
    void scheduleCheckPrintsTheDecisionRangeAndItsShareOfTrainingDraws() {
        assertThat(run("schedule-check", "--data", preprocessed.toString(), "--config", config.toString(), "--clips", "4"))
                .as(stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("4 clips").contains("| z median |")
                .contains("decision range").contains("z at the last step");
        assertThat(run("schedule-check", "--data", preprocessed.toString(), "--config", config.toString(), "--clips", "4",
                "--prediction-type", "v_prediction", "--zero-terminal-snr", "--snr-shift", "4")).as(stderr()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("z at the last step 0.00").contains("SNR shift 4.0");
    }

    @Test
    void aPresetThatDoesNotFitTheDataIsRefusedWithTheReason() {
        assertThat(run(args(tmp.resolve("demo"), "--preset", "demo"))).isEqualTo(2);
        assertThat(stderr()).contains("preset 'demo'").contains("8x8");
    }

    @Test
    void anExistingRunIsNotOverwrittenWithoutResume() {
        assertThat(run(args(reference, "--max-steps", "2"))).isEqualTo(2);
        assertThat(stderr()).contains("--resume");
    }
}
