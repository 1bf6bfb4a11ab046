package dev.t2v.data.spark;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the inputs of {@code scripts/spark-scaling.sh}: {@code DIR/data}, a synthetic set in {@code t2v synth}'s
 * default geometry (128x128, 16 frames at 8 fps), and {@code DIR/vae}, the tests' tiny VAE (the same inputs as
 * {@link dev.t2v.data.preprocess.PreprocessThroughput}). Not a test. Arguments: {@code DIR [videos=128]}.
 */
public final class ScalingFixtures {
    private ScalingFixtures() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int videos = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        SyntheticSet.generate(dir.resolve("data"), SyntheticSpec.defaults(videos), ProgressBar.silent());
        OnnxFixtures.writeTinyVae(dir.resolve("vae"));
        System.out.println("wrote " + videos + " videos to " + dir.resolve("data") + " and a tiny VAE to "
                + dir.resolve("vae"));
    }
}
