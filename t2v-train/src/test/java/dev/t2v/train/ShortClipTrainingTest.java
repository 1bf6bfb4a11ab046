package dev.t2v.train;

import dev.t2v.core.bundle.ModelBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run may train on clips shorter than the preset's window (shapes from many short clips first), and a later run
 * continues from its weights on full-length clips; clips longer than the window are refused.
 */
class ShortClipTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void shortClipsTrainABundleOfTheFullWindowThatFullClipsContinueFrom() throws Exception {
        int window = TrainFixtures.FRAMES;
        RandomBatchSource shortClips = new RandomBatchSource(8, 2, TrainFixtures.CHANNELS, TrainFixtures.LATENT,
                TrainFixtures.TEXT_DIM, TrainFixtures.TOKENS, 1);
        TrainingResult first = new Trainer(TrainFixtures.config("max_steps", "2"), shortClips, null,
                TrainFixtures.refs(), tmp.resolve("short"), TrainFixtures.quiet()).run(false);

        ModelBundle bundle = ModelBundle.read(first.model());
        assertThat(bundle.info().denoiser().frames()).isEqualTo(window);
        assertThat(bundle.info().video().frames()).as("the bundle generates the model's window").isEqualTo(window);

        TrainingConfig next = TrainFixtures.config("max_steps", "1", "init", "\"" + first.model() + "\"");
        TrainingResult second = new Trainer(next, TrainFixtures.data(8, 2), null, TrainFixtures.refs(),
                tmp.resolve("full"), TrainFixtures.quiet()).run(false);
        assertThat(ModelBundle.read(second.model()).info().provenance().steps()).isEqualTo(1);
    }

    @Test
    void clipsLongerThanThePresetWindowAreRefusedNamingBothLengths() {
        RandomBatchSource longClips = new RandomBatchSource(8, TrainFixtures.FRAMES + 2, TrainFixtures.CHANNELS,
                TrainFixtures.LATENT, TrainFixtures.TEXT_DIM, TrainFixtures.TOKENS, 1);
        assertThatThrownBy(() -> new Trainer(TrainFixtures.config(), longClips, null, TrainFixtures.refs(),
                tmp.resolve("long"), TrainFixtures.quiet()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generates " + TrainFixtures.FRAMES + "-frame windows")
                .hasMessageContaining("clips have " + (TrainFixtures.FRAMES + 2) + " frames");
    }
}
