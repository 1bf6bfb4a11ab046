package dev.t2v.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.TextToVideoPipeline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrainOnFolder} end to end on a tiny synthetic set with the tiny VAE and BERT fixtures: the {@code tiny}
 * preset's clips are 4 frames of 64x64 pixels.
 */
class TrainOnFolderTest {
    private static final int STEPS = 3;

    @TempDir
    Path tmp;

    @Test
    void trainsABundleThePipelineLoadsAndARerunContinuesIt() throws Exception {
        Path data = tmp.resolve("synthetic");
        SyntheticSet.generate(data, SyntheticSpec.of(8, 64, 8, 8, 5), ProgressBar.silent());
        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(tmp.resolve("models"));
        Path out = tmp.resolve("out");

        TrainOnFolder.main(new String[] {data.toString(), models.vae().dir().toString(), out.toString(), "tiny",
                String.valueOf(STEPS), models.text().model().toString(), models.text().tokenizer().toString()});

        Path model = out.resolve("run").resolve("model");
        assertThat(ModelBundle.read(model).info().provenance().steps()).isEqualTo(STEPS);
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(model)) {
            assertThat(pipeline.windowFrames()).isEqualTo(4);
            assertThat(pipeline.frameSize()).isEqualTo(64);
            GenerationRequest request = pipeline.requestBuilder("a red circle moving right").steps(2).build();
            Video video = pipeline.generate(request, ProgressListener.NONE);
            assertThat(video.frameCount()).isEqualTo(4);
        }

        // A rerun with a larger budget skips the finished shards and continues from the last checkpoint.
        String rerun = Outputs.stdout(() -> TrainOnFolder.main(new String[] {data.toString(),
                models.vae().dir().toString(), out.toString(), "tiny", String.valueOf(STEPS + 2),
                models.text().model().toString(), models.text().tokenizer().toString()}));
        assertThat(rerun).contains("skipped 1 shards already done").contains("trained 5 steps (2 this run");
        assertThat(ModelBundle.read(model).info().provenance().steps()).isEqualTo(STEPS + 2);
    }
}
