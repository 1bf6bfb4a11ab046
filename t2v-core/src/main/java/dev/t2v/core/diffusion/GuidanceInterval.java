package dev.t2v.core.diffusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The timesteps at which classifier-free guidance applies, both ends inclusive (Kynkäänniemi et al. 2024, "Applying
 * Guidance in a Limited Interval"). Outside it the sampler takes the conditional prediction alone and the
 * unconditional branch is not computed. Guiding at the noisiest steps, before a sample has decided where its content
 * is, pushes the prompt's features everywhere at once (several objects of the asked colour); leaving those steps
 * unguided lets the sample commit first. Written {@code LO,HI} in configs and on the command line.
 *
 * @param lo the lowest guided timestep, at least 0
 * @param hi the highest guided timestep, at least {@code lo}
 */
public record GuidanceInterval(int lo, int hi) {
    /** Guidance at every step. */
    public static final GuidanceInterval ALWAYS = new GuidanceInterval(0, Integer.MAX_VALUE);

    public GuidanceInterval {
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("guidance interval: expected 0 <= lo <= hi, got " + lo + "," + hi);
        }
    }

    /** Whether timestep {@code t} is guided. */
    public boolean contains(int t) {
        return t >= lo && t <= hi;
    }

    /** {@code LO,HI}, or {@code all} for {@link #ALWAYS}. */
    @JsonValue
    public String label() {
        return equals(ALWAYS) ? "all" : lo + "," + hi;
    }

    @Override
    public String toString() {
        return label();
    }

    /** Parses {@code LO,HI} (two integer timesteps) or {@code all}. */
    @JsonCreator
    public static GuidanceInterval parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equalsIgnoreCase("all")) {
            return ALWAYS;
        }
        String[] parts = s.split(",");
        if (parts.length == 2) {
            try {
                return new GuidanceInterval(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("guidance interval: expected LO,HI (two timesteps, 0 <= LO <= HI) or all, "
                + "got '" + text + "'");
    }
}
