package dev.t2v.train;

import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.NoiseSchedule;
import dev.t2v.core.diffusion.TimestepSampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether a dataset and a noise schedule fit each other: at which timesteps a clip's content can still be seen in
 * x_t, and what share of training draws fall where a generator has to decide it.
 *
 * <p>A clip's content is what differs from its background: per frame and channel the background is the spatial
 * median, and the object mask holds the latent pixels whose residual energy (over channels) is at least
 * {@value #MASK_FRACTION} of the frame's largest. With h the masked residual, the matched filter ⟨x_t, h⟩/‖h‖ — the
 * best detector of a known template in white Gaussian noise — sees it at z(t) = √SNR(t)·‖h‖ standard deviations,
 * since x_t = √ᾱ·x₀ + √(1−ᾱ)·ε. Above 5σ the object is plainly there; below 1σ it is not there at all; the
 * <em>decision range</em> in between is where a sampler commits to what is where, so training must visit it. Sparse
 * latents (a small object on a plain background) have a large ‖h‖ and push that range to very low SNR: past the last
 * step of SD's schedule, so that the model never learns to decide, and pure noise at sampling time leaves it to latch
 * onto several noise candidates at once.
 */
public final class Detectability {
    /** Share of a frame's largest residual energy at which a latent pixel counts as the object's. */
    static final double MASK_FRACTION = 0.35;
    /** The matched-filter z-scores that bound the decision range. */
    public static final double DECIDED = 5;
    public static final double HIDDEN = 1;

    private Detectability() {
    }

    /**
     * One clip's content measured: ‖h‖ of the object mask and of the whole residual, the RMS of the object's and the
     * background's latent values, and the object's mean area in latent pixels per frame.
     */
    public record ClipEnergy(double objectNorm, double residualNorm, double objectRms, double backgroundRms,
                             double objectArea) {
    }

    /** Measures one clip's latents {@code [F,C,h,w]}. */
    public static ClipEnergy measure(INDArray clip) {
        if (clip.rank() != 4) {
            throw new IllegalArgumentException("expected one clip's latents [F,C,h,w], got shape "
                    + Arrays.toString(clip.shape()));
        }
        int f = (int) clip.size(0), c = (int) clip.size(1), h = (int) clip.size(2), w = (int) clip.size(3);
        float[] x = clip.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int plane = h * w;
        double objectSq = 0, residualSq = 0, objectVals = 0, backgroundSq = 0, backgroundVals = 0, area = 0;
        double[] residual = new double[c * plane];
        double[] energy = new double[plane];
        for (int fi = 0; fi < f; fi++) {
            Arrays.fill(energy, 0);
            for (int ci = 0; ci < c; ci++) {
                int base = (fi * c + ci) * plane;
                float[] values = Arrays.copyOfRange(x, base, base + plane);
                Arrays.sort(values);
                double median = plane % 2 == 1 ? values[plane / 2] : 0.5 * (values[plane / 2 - 1] + values[plane / 2]);
                for (int p = 0; p < plane; p++) {
                    double r = x[base + p] - median;
                    residual[ci * plane + p] = r;
                    energy[p] += r * r;
                }
            }
            double max = Arrays.stream(energy).max().orElse(0);
            for (int p = 0; p < plane; p++) {
                boolean object = max > 0 && energy[p] >= MASK_FRACTION * max;
                residualSq += energy[p];
                if (object) {
                    objectSq += energy[p];
                    objectVals += c;
                    area++;
                }
                for (int ci = 0; ci < c; ci++) {
                    double v = x[(fi * c + ci) * plane + p];
                    if (!object) {
                        backgroundSq += v * v;
                        backgroundVals++;
                    }
                }
            }
        }
        return new ClipEnergy(Math.sqrt(objectSq), Math.sqrt(residualSq),
                objectVals == 0 ? 0 : Math.sqrt(objectSq / objectVals),
                backgroundVals == 0 ? 0 : Math.sqrt(backgroundSq / backgroundVals), area / f);
    }

    /** The matched filter's z-score for a template of norm {@code norm} at timestep {@code t}: √SNR(t)·norm. */
    public static double z(NoiseSchedule schedule, int t, double norm) {
        double a = schedule.alphaCumprod(t);
        return a >= 1 ? Double.POSITIVE_INFINITY : Math.sqrt(a / (1 - a)) * norm;
    }

    /** One row of the table: timestep t, ᾱ, SNR, the z-scores' 10th, 50th and 90th percentiles over the clips. */
    public record Row(int t, double alphaCumprod, double snr, double zP10, double zMedian, double zP90) {
    }

    /**
     * The analysis of {@code clips} under {@code scheduler} with training draws from {@code sampling}.
     *
     * @param decisionLo    the lowest timestep where the median clip's z is at most {@link #DECIDED} (-1: none)
     * @param decisionHi    the highest timestep where it is at least {@link #HIDDEN} (-1: none)
     * @param decisionShare the share of training draws in [decisionLo, decisionHi]
     * @param hiddenShare   the share of training draws where the median clip is below {@link #HIDDEN}
     * @param terminalZ     the median clip's z at the last training step (above 1: pure noise is never trained)
     */
    public record Report(SchedulerConfig scheduler, TimestepSampling sampling, int clips, double objectNorm,
                         double residualNorm, double objectRms, double backgroundRms, double objectArea, List<Row> rows,
                         int decisionLo, int decisionHi, double decisionShare, double hiddenShare, double terminalZ) {

        /** The table and summary as text, for the console and docs/quality.md. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%d clips: object %.1f latent px/frame, |h| median %.1f (whole residual "
                    + "%.1f); object RMS %.2f, background RMS %.2f%n", clips, objectArea, objectNorm, residualNorm,
                    objectRms, backgroundRms));
            sb.append("schedule: ").append(describe(scheduler)).append("; training draws ").append(sampling.label())
                    .append(String.format(Locale.ROOT, "%n%n"));
            sb.append("|     t |        ᾱ |      SNR | z p10 | z median | z p90 |\n");
            sb.append("|------:|---------:|---------:|------:|---------:|------:|\n");
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "| %5d | %8.2e | %8.2e | %5.1f | %8.1f | %5.1f |%n", r.t(),
                        r.alphaCumprod(), r.snr(), r.zP10(), r.zMedian(), r.zP90()));
            }
            sb.append('\n');
            if (decisionLo < 0) {
                sb.append(String.format(Locale.ROOT, "decision range (median z in [%.0f, %.0f]): not within the "
                        + "schedule's steps%n", HIDDEN, DECIDED));
            } else {
                sb.append(String.format(Locale.ROOT, "decision range (median z in [%.0f, %.0f]): t = %d..%d, "
                        + "%.1f %% of training draws%n", HIDDEN, DECIDED, decisionLo, decisionHi, 100 * decisionShare));
            }
            sb.append(String.format(Locale.ROOT, "object hidden (median z < %.0f): %.1f %% of training draws; "
                    + "z at the last step %.2f%n", HIDDEN, 100 * hiddenShare, terminalZ));
            for (String advice : advice()) {
                sb.append("note: ").append(advice).append('\n');
            }
            return sb.toString();
        }

        /** What to change, when the schedule does not fit the data. */
        public List<String> advice() {
            List<String> out = new ArrayList<>();
            if (terminalZ > HIDDEN) {
                out.add(String.format(Locale.ROOT, "the last step still shows the object at %.1f sigma: sampling "
                        + "starts from pure noise, which training never saw; use a zero-terminal-SNR schedule "
                        + "(--zero-terminal-snr with --prediction-type v_prediction)", terminalZ));
            }
            if (decisionShare < 0.1) {
                out.add(String.format(Locale.ROOT, "only %.1f %% of training draws fall in the decision range; raise "
                        + "--snr-shift or draw timesteps towards the noisy end (--timestep-sampling "
                        + "logit-normal:LOC,SCALE with LOC > 0)", 100 * decisionShare));
            }
            return out;
        }
    }

    /** Analyses {@code energies} (at least one clip) under {@code scheduler} and {@code sampling}. */
    public static Report analyse(List<ClipEnergy> energies, SchedulerConfig scheduler, TimestepSampling sampling) {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(sampling, "sampling");
        if (energies.isEmpty()) {
            throw new IllegalArgumentException("need at least one clip");
        }
        NoiseSchedule schedule = NoiseSchedule.of(scheduler);
        int n = schedule.numTrainTimesteps();
        double[] norms = energies.stream().mapToDouble(ClipEnergy::objectNorm).sorted().toArray();
        double median = percentile(norms, 50);
        double[] p = sampling.probabilities(n);
        int lo = -1, hi = -1;
        double decision = 0, hidden = 0;
        for (int t = 0; t < n; t++) {
            double zt = z(schedule, t, median);
            if (zt <= DECIDED && zt >= HIDDEN) {
                lo = lo < 0 ? t : lo;
                hi = t;
                decision += p[t];
            } else if (zt < HIDDEN) {
                hidden += p[t];
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int t : tableSteps(n, lo, hi)) {
            double a = schedule.alphaCumprod(t);
            rows.add(new Row(t, a, schedule.snr(t), z(schedule, t, percentile(norms, 10)), z(schedule, t, median),
                    z(schedule, t, percentile(norms, 90))));
        }
        return new Report(scheduler, sampling, energies.size(), median,
                median(energies.stream().mapToDouble(ClipEnergy::residualNorm)),
                median(energies.stream().mapToDouble(ClipEnergy::objectRms)),
                median(energies.stream().mapToDouble(ClipEnergy::backgroundRms)),
                median(energies.stream().mapToDouble(ClipEnergy::objectArea)), rows, lo, hi, decision, hidden,
                z(schedule, n - 1, median));
    }

    /** Every tenth of the schedule, the last steps, and the decision range's ends. */
    private static int[] tableSteps(int n, int lo, int hi) {
        java.util.TreeSet<Integer> ts = new java.util.TreeSet<>();
        for (int i = 0; i < 10; i++) {
            ts.add(i * n / 10);
        }
        for (int back : new int[] {50, 25, 10, 1}) {
            ts.add(Math.max(0, n - back));
        }
        if (lo >= 0) {
            ts.add(lo);
            ts.add(hi);
        }
        return ts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double median(java.util.stream.DoubleStream values) {
        return percentile(values.sorted().toArray(), 50);
    }

    /** The q-th percentile of sorted {@code v}, linearly interpolated. */
    static double percentile(double[] v, double q) {
        double pos = q / 100 * (v.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < v.length ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[v.length - 1];
    }

    /** A one-line description of the schedule's shape. */
    static String describe(SchedulerConfig s) {
        return String.format(Locale.ROOT, "%s %s..%s over %d steps, %s%s%s", s.betaSchedule().name().toLowerCase(Locale.ROOT),
                s.betaStart(), s.betaEnd(), s.numTrainTimesteps(), s.predictionType().name().toLowerCase(Locale.ROOT),
                s.snrShift() != 1 ? ", SNR shift " + s.snrShift() : "",
                s.rescaleZeroTerminalSnr() ? ", zero terminal SNR" : "");
    }
}
