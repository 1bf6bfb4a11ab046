package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** One way from video pixels to model tensors: generation's {@link Video#toModelTensor} is preprocessing's route. */
class ModelTensorTest {
    @TempDir
    Path dir;

    @Test
    void aVideoReachesTheModelAsPreprocessingWouldEncodeIt() throws Exception {
        Path mp4 = dir.resolve("clip.mp4");
        TestPatterns.movingSquare(6, 96, 80).writeMp4(mp4);
        // Preprocessing (VideoEncoder): sample the file at the model's rate and size, then toTensor.
        INDArray preprocessed = new FrameSampler(6, 8, 0, 32).sample(mp4).toTensor();
        // Generation (video-to-video, reconstruct): the decoded video handed to the pipeline.
        Video decoded;
        try (VideoReader reader = VideoReader.open(mp4)) {
            decoded = reader.readAll();
        }
        INDArray generated = decoded.toModelTensor(6, 32);
        assertThat(generated.shape()).containsExactly(6, 3, 32, 32);
        assertThat(generated.equals(preprocessed)).as("bit-identical tensors").isTrue();
    }

    @Test
    void otherFrameCountsTakeTheNearestEarlierFrameAndKeepTheDuration() {
        Video v = TestPatterns.movingSquare(3, 40, 30);
        INDArray t = v.toModelTensor(5, 16); // frame i is source floor(i*3/5): 0, 0, 1, 1, 2
        INDArray each = v.toModelTensor(3, 16);
        int[] source = {0, 0, 1, 1, 2};
        for (int i = 0; i < 5; i++) {
            assertThat(t.get(NDArrayIndex.point(i)).equals(each.get(NDArrayIndex.point(source[i])))).as("frame %d", i)
                    .isTrue();
        }
        // A flat colour stays that colour through the resize: 0x33 in [-1, 1].
        assertThat(t.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.point(0))
                .maxNumber().doubleValue()).isCloseTo(0x1e / 127.5 - 1, org.assertj.core.data.Offset.offset(1e-6));
        assertThatThrownBy(() -> v.toModelTensor(0, 16)).hasMessageContaining("frame count must be >= 1");
        assertThatThrownBy(() -> v.toModelTensor(2, 0)).hasMessageContaining("size must be >= 1");
    }
}
