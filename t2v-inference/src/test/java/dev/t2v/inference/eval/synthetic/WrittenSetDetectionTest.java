package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.synthetic.SyntheticLabel;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector against the set as {@code t2v synth} writes it: H.264 files read back through the MSR-VTT reader. */
class WrittenSetDetectionTest {
    @TempDir
    Path tmp;

    @Test
    void theDetectorReadsTheWrittenClipsBackToTheirLabels() throws Exception {
        Path out = tmp.resolve("synth");
        SyntheticSet.generate(out, SyntheticSpec.of(72, 64, 8, 8, 12), ProgressBar.silent());
        MsrVttDataset ds = MsrVttDataset.open(out);
        ShapeDetector detector = new ShapeDetector();
        int right = 0;
        for (MsrVttClip clip : ds.clips()) {
            try (VideoReader reader = VideoReader.open(ds.videoFile(clip), Optional.empty())) {
                Video v = reader.readAll();
                assertThat(v.frameCount()).isEqualTo(8);
                assertThat(v.fps()).isEqualTo(8.0);
                right += detector.detect(v).matches(SyntheticLabel.of(clip.video()).orElseThrow().combo()) ? 1 : 0;
            }
        }
        assertThat(right).isGreaterThanOrEqualTo(71);
    }
}
