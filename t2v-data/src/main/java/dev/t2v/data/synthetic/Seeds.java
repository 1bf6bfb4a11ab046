package dev.t2v.data.synthetic;

import java.util.SplittableRandom;

/**
 * Independent random streams keyed by (seed, purpose, index), so a clip's draws depend only on the seed and its
 * index: generating 200 clips gives the same first 100 as generating 100.
 */
final class Seeds {
    static final long COMBO_ORDER = 1;
    static final long CLIP = 2;
    static final long SPLIT = 3;
    static final long CAPTIONS = 4;

    private Seeds() {}

    static SplittableRandom stream(long seed, long purpose, long index) {
        return new SplittableRandom(mix(seed ^ mix(purpose * 0x9E3779B97F4A7C15L + mix(index))));
    }

    /** SplitMix64's finaliser: a bijective scramble, so distinct keys give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
