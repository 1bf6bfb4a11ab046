package dev.t2v.inference.bench;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.inference.Backend;
import dev.t2v.inference.ort.OrtDevice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code t2v bench} measures.
 *
 * @param presets       denoiser presets to time (forward, and a training step on SameDiff)
 * @param iterations    timed runs per measurement after one warm-up run; the median is reported
 * @param backends      runtimes to time
 * @param device        where ONNX Runtime runs
 * @param train         whether to time SameDiff training steps
 * @param model         a model bundle to time sampling with, or null for a random-initialised {@code demo}
 * @param samplers      samplers to time a generation with (empty: no sampling measurement)
 * @param samplingSteps denoising steps per generated video
 * @param budget        wall-clock budget: measurements that would start after it are skipped (and say so)
 */
public record BenchOptions(List<String> presets, int iterations, List<Backend> backends, OrtDevice device,
                           boolean train, Path model, List<String> samplers, int samplingSteps, Duration budget) {
    public BenchOptions {
        presets = List.copyOf(Objects.requireNonNull(presets, "presets"));
        backends = List.copyOf(Objects.requireNonNull(backends, "backends"));
        samplers = List.copyOf(Objects.requireNonNull(samplers, "samplers"));
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(budget, "budget");
        for (String p : presets) {
            DenoiserConfig.preset(p); // throws naming the known presets
        }
        for (String s : samplers) {
            if (!Schedulers.names().contains(s)) {
                throw new IllegalArgumentException("unknown sampler '" + s + "'; expected one of " + Schedulers.names());
            }
        }
        if (presets.isEmpty() && samplers.isEmpty()) {
            throw new IllegalArgumentException("nothing to measure: no presets and no samplers");
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("backends must not be empty");
        }
        if (iterations < 1 || iterations > 100) {
            throw new IllegalArgumentException("iterations must be in [1, 100], got " + iterations);
        }
        if (samplingSteps < 1 || samplingSteps > 1000) {
            throw new IllegalArgumentException("samplingSteps must be in [1, 1000], got " + samplingSteps);
        }
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive, got " + budget);
        }
    }

    /** Every preset, 3 timed runs, both backends on the CPU, training steps, all samplers at 20 steps, 9 minutes. */
    public static BenchOptions defaults() {
        return new BenchOptions(DenoiserConfig.presetNames(), 3, List.of(Backend.SAMEDIFF, Backend.ORT), OrtDevice.CPU,
                true, null, Schedulers.names(), 20, Duration.ofMinutes(9));
    }

    /** A smoke run: tiny and demo, one timed run, one sampler at 4 steps. */
    public static BenchOptions quick() {
        return new BenchOptions(List.of("tiny", "demo"), 1, List.of(Backend.SAMEDIFF, Backend.ORT), OrtDevice.CPU, true,
                null, List.of("dpmpp"), 4, Duration.ofMinutes(9));
    }

    public BenchOptions withPresets(List<String> p) {
        return new BenchOptions(p, iterations, backends, device, train, model, samplers, samplingSteps, budget);
    }

    public BenchOptions withIterations(int n) {
        return new BenchOptions(presets, n, backends, device, train, model, samplers, samplingSteps, budget);
    }

    public BenchOptions withBackends(List<Backend> b) {
        return new BenchOptions(presets, iterations, b, device, train, model, samplers, samplingSteps, budget);
    }

    public BenchOptions withDevice(OrtDevice d) {
        return new BenchOptions(presets, iterations, backends, d, train, model, samplers, samplingSteps, budget);
    }

    public BenchOptions withTrain(boolean on) {
        return new BenchOptions(presets, iterations, backends, device, on, model, samplers, samplingSteps, budget);
    }

    public BenchOptions withModel(Path bundle) {
        return new BenchOptions(presets, iterations, backends, device, train, bundle, samplers, samplingSteps, budget);
    }

    public BenchOptions withSamplers(List<String> s) {
        return new BenchOptions(presets, iterations, backends, device, train, model, s, samplingSteps, budget);
    }

    public BenchOptions withSamplingSteps(int n) {
        return new BenchOptions(presets, iterations, backends, device, train, model, samplers, n, budget);
    }

    public BenchOptions withBudget(Duration d) {
        return new BenchOptions(presets, iterations, backends, device, train, model, samplers, samplingSteps, d);
    }
}
