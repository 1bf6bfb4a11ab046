package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Algorithm 2), as diffusers' DPMSolverMultistepScheduler with
 * {@code algorithm_type="dpmsolver++"}, {@code solver_order=2}, {@code solver_type="midpoint"},
 * {@code lower_order_final=true}, {@code final_sigmas_type="zero"}. Deterministic.
 *
 * <p>Every model output is first converted to a clean-sample estimate x̂₀; with λ = log(α/σ) and h = λ_next − λ_s,
 * x_next = (σ_next/σ_s)·x − α_next·(e^{−h} − 1)·D, where D = x̂₀ at the first and last steps and
 * D = x̂₀ + (x̂₀ − x̂₀_prev)/(2r), r = (λ_s − λ_prev)/h, otherwise. The last step lands on σ = 0 and so returns x̂₀.
 * The previous x̂₀ and λ (the multistep history) live here and are reset by {@link #setTimesteps}. Steps must follow
 * {@link #timesteps()} in order from wherever the first call starts (e.g. {@link #timestepsForStrength}).
 * With zero-terminal-SNR betas the last ᾱ is raised to 2⁻²⁴ so that σ/α stays finite, as diffusers does.
 * {@code clip_sample} does not apply to this solver.
 */
public final class DpmSolverMultistepScheduler implements Scheduler {
    /** diffusers' terminal ᾱ on zero-SNR schedules: the smallest positive float16 subnormal. */
    private static final double ZERO_SNR_FINAL_ALPHA_CUMPROD = 0x1p-24;

    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private int[] timesteps;
    /** σ = √((1−ᾱ)/ᾱ) at each timestep, plus 0 after the last. */
    private double[] sigmas;
    private int stepIndex;
    private int lowerOrderNums;
    private INDArray previousX0;
    private double previousLambda;

    public DpmSolverMultistepScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        NoiseSchedule s = NoiseSchedule.of(config);
        this.schedule = config.rescaleZeroTerminalSnr() ? s.withFinalAlphaCumprod(ZERO_SNR_FINAL_ALPHA_CUMPROD) : s;
    }

    @Override
    public String name() {
        return "dpmpp";
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        int[] ts = config.timestepSpacing().solverTimesteps(config.numTrainTimesteps(), numInferenceSteps,
                config.stepsOffset());
        double[] s = new double[ts.length + 1];
        for (int i = 0; i < ts.length; i++) {
            double a = schedule.alphaCumprod(ts[i]);
            s[i] = Math.sqrt((1 - a) / a);
        }
        s[ts.length] = 0;
        timesteps = ts;
        sigmas = s;
        stepIndex = -1;
        lowerOrderNums = 0;
        previousX0 = null;
        previousLambda = Double.NaN;
    }

    @Override
    public int[] timesteps() {
        return requireTimesteps().clone();
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public StepOutput step(INDArray modelOutput, int t, INDArray sample) {
        int[] ts = requireTimesteps();
        INDArray out = Tensors.checkStepInputs(modelOutput, sample);
        advanceTo(ts, t);

        double alphaS = alphaOf(sigmas[stepIndex]);
        double sigmaS = sigmas[stepIndex] * alphaS;
        double alphaT = alphaOf(sigmas[stepIndex + 1]);
        double sigmaT = sigmas[stepIndex + 1] * alphaT;
        double lambdaS = Math.log(alphaS) - Math.log(sigmaS);
        // σ_next = 0 at the end gives λ = +∞, h = +∞ and e^{−h} − 1 = −1: the update returns x̂₀.
        double lambdaT = Math.log(alphaT) - Math.log(sigmaT);
        double h = lambdaT - lambdaS;
        double phi = Math.expm1(-h);

        INDArray x0 = config.predictionType().originalSample(out, sample, alphaS, sigmaS);
        boolean lastStep = stepIndex == ts.length - 1;
        INDArray prevSample = Tensors.combination(sample, sigmaT / sigmaS, x0, -alphaT * phi);
        if (lowerOrderNums >= 1 && !lastStep) {
            // Second-order midpoint correction from the previous x̂₀.
            double r = (lambdaS - previousLambda) / h;
            INDArray diff = x0.sub(previousX0);
            prevSample.addi(diff.muli(-0.5 * alphaT * phi / r));
        }
        // The history must not alias the caller's array (x̂₀ is the model output itself for sample prediction).
        previousX0 = x0 == modelOutput ? x0.dup() : x0;
        previousLambda = lambdaS;
        lowerOrderNums = Math.min(lowerOrderNums + 1, 2);
        stepIndex++;
        return new StepOutput(prevSample, x0);
    }

    /** Finds the step for t: by lookup on the first call, then strictly the next timestep in order. */
    private void advanceTo(int[] ts, int t) {
        if (stepIndex < 0) {
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] == t) {
                    stepIndex = i;
                    return;
                }
            }
            throw new IllegalArgumentException("dpmpp: timestep " + t + " is not one of the " + ts.length
                    + " set by setTimesteps (first " + ts[0] + ", last " + ts[ts.length - 1] + ")");
        }
        if (stepIndex >= ts.length) {
            throw new IllegalStateException("dpmpp: all " + ts.length + " steps are done; call setTimesteps(n) to start again");
        }
        if (ts[stepIndex] != t) {
            throw new IllegalArgumentException("dpmpp: expected timestep " + ts[stepIndex] + " (step " + (stepIndex + 1)
                    + " of " + ts.length + "), got " + t + "; a multistep solver must visit timesteps() in order");
        }
    }

    /** α = 1/√(σ²+1) for the variance-preserving process (σ here is the ratio σ_t/α_t). */
    private static double alphaOf(double sigmaRatio) {
        return 1 / Math.sqrt(sigmaRatio * sigmaRatio + 1);
    }

    private int[] requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("dpmpp: call setTimesteps(n) before step() or timesteps()");
        }
        return timesteps;
    }
}
