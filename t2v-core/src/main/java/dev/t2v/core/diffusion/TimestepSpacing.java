package dev.t2v.core.diffusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How inference timesteps are picked from the training steps, named as diffusers' {@code timestep_spacing}
 * (Lin et al. 2023, Table 2). The grids are computed exactly as diffusers does, including numpy's
 * round-half-to-even, with one exception: where diffusers' {@code np.arange(N, 0, -N/n)} overshoots by one
 * element (trailing spacing, e.g. n = 61 of 1000) and ends in the invalid timestep −1, only the first n are kept.
 */
public enum TimestepSpacing {
    /** {@code round(linspace(0, N−1, n))}, descending. Starts at N−1. */
    LINSPACE("linspace"),
    /** Multiples of {@code N // n} from 0, descending, plus {@code steps_offset}. Never reaches N−1. */
    LEADING("leading"),
    /** {@code round(arange(N, 0, −N/n)) − 1}. Starts at N−1 and ends near N/n − 1. */
    TRAILING("trailing");

    private final String id;

    TimestepSpacing(String id) {
        this.id = id;
    }

    /** The diffusers name, e.g. {@code trailing}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses a diffusers name (case-insensitive); the message lists the accepted names. */
    @JsonCreator
    public static TimestepSpacing fromId(String id) {
        for (TimestepSpacing s : values()) {
            if (s.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("timestep_spacing: expected one of "
                + Arrays.stream(values()).map(TimestepSpacing::id).collect(Collectors.joining(", ")) + ", got " + id);
    }

    /**
     * The descending timesteps of diffusers' DDPMScheduler / DDIMScheduler {@code set_timesteps(n)}.
     *
     * @throws IllegalArgumentException if n is outside [1, numTrain] or the grid leaves [0, numTrain) or repeats
     */
    public int[] timesteps(int numTrain, int n, int stepsOffset) {
        checkCount(numTrain, n);
        int[] ts = new int[n];
        switch (this) {
            case LINSPACE -> {
                double[] grid = BetaSchedule.linspace(0, numTrain - 1, n);
                for (int i = 0; i < n; i++) {
                    ts[i] = (int) Math.rint(grid[n - 1 - i]);
                }
            }
            case LEADING -> {
                int ratio = numTrain / n;
                for (int i = 0; i < n; i++) {
                    ts[i] = (n - 1 - i) * ratio + stepsOffset;
                }
            }
            case TRAILING -> trailing(numTrain, n, ts);
        }
        return checked(ts, numTrain, n, stepsOffset);
    }

    /**
     * The descending timesteps of diffusers' DPMSolverMultistepScheduler {@code set_timesteps(n)}
     * (with {@code lambda_min_clipped = -inf}): linspace and leading lay out n+1 points and drop the one at the
     * clean end; trailing is as {@link #timesteps}.
     *
     * @throws IllegalArgumentException if n is outside [1, numTrain] or the grid leaves [0, numTrain) or repeats
     */
    public int[] solverTimesteps(int numTrain, int n, int stepsOffset) {
        checkCount(numTrain, n);
        int[] ts = new int[n];
        switch (this) {
            case LINSPACE -> {
                double[] grid = BetaSchedule.linspace(0, numTrain - 1, n + 1);
                for (int i = 0; i < n; i++) {
                    ts[i] = (int) Math.rint(grid[n - i]);
                }
            }
            case LEADING -> {
                int ratio = numTrain / (n + 1);
                for (int i = 0; i < n; i++) {
                    ts[i] = (n - i) * ratio + stepsOffset;
                }
            }
            case TRAILING -> trailing(numTrain, n, ts);
        }
        return checked(ts, numTrain, n, stepsOffset);
    }

    private static void trailing(int numTrain, int n, int[] ts) {
        double step = -(double) numTrain / n;
        // numpy's arange fills start + i·delta with delta = (start + step) − start; copied so that values on a
        // .5 boundary round the same way.
        double delta = (numTrain + step) - numTrain;
        for (int i = 0; i < n; i++) {
            ts[i] = (int) Math.rint(numTrain + i * delta) - 1;
        }
    }

    private static void checkCount(int numTrain, int n) {
        if (n < 1 || n > numTrain) {
            throw new IllegalArgumentException("number of inference steps must be in [1, " + numTrain
                    + "] (num_train_timesteps), got " + n);
        }
    }

    private int[] checked(int[] ts, int numTrain, int n, int stepsOffset) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] < 0 || ts[i] >= numTrain) {
                throw new IllegalArgumentException(id + " spacing with " + n + " steps and steps_offset " + stepsOffset
                        + " gives timestep " + ts[i] + ", outside [0, " + numTrain + "); use fewer steps or another spacing");
            }
            if (i > 0 && ts[i] >= ts[i - 1]) {
                throw new IllegalArgumentException(id + " spacing with " + n + " steps of " + numTrain
                        + " repeats timestep " + ts[i] + "; use fewer steps or another spacing");
            }
        }
        return ts;
    }
}
