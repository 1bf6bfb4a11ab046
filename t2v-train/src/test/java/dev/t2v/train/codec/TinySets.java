package dev.t2v.train.codec;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import java.io.IOException;
import java.nio.file.Path;

/** Tiny moving-shapes sets in MSR-VTT layout, written by the real generator. */
final class TinySets {
    private TinySets() {}

    /**
     * Writes {@code videos} clips of {@code frames} 64x64 frames under {@code dir}, with the first seed from 0 whose plan
     * puts at least one clip outside the train split (the generator's first block is mostly train).
     */
    static Path write(Path dir, int videos, int frames) throws IOException {
        for (long seed = 0; seed < 1000; seed++) {
            SyntheticSpec spec = SyntheticSpec.of(videos, 64, frames, 8, seed);
            long heldOut = SyntheticSet.plan(spec).stream().filter(c -> c.split() != Split.TRAIN).count();
            if (heldOut >= 1 && heldOut < videos) {
                SyntheticSet.generate(dir, spec, ProgressBar.silent());
                return dir;
            }
        }
        throw new IllegalStateException("no seed below 1000 gives both train and held-out clips");
    }
}
