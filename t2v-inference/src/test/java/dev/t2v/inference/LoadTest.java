package dev.t2v.inference;

import dev.t2v.data.video.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading a model bundle from disk. */
class LoadTest {
    @TempDir
    Path dir;

    @Test
    void aLoadedBundleGeneratesWithItsDefaultsLikeThePipelineBuiltFromParts() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny"), 21);
        Video fromBundle;
        GenerationRequest request;
        try (TextToVideoPipeline p = TextToVideoPipeline.load(bundle)) {
            assertThat(p.defaults()).isEqualTo(new GenerationDefaults(4, 8, "ddim", 3, 4.0, null));
            assertThat(p.windowFrames()).isEqualTo(4);
            assertThat(p.frameSize()).isEqualTo(64);
            assertThat(p.backend()).isEqualTo(Backend.SAMEDIFF);
            request = p.requestBuilder("a red circle").seed(3).build();
            fromBundle = p.generate(request, null);
        }
        assertThat(fromBundle.frameCount()).isEqualTo(4);
        // The same weights and encoders from parts, the null text encoded afresh: the same frames.
        try (TextToVideoPipeline parts = TinyModel.pipeline(TinyModel.write(dir.resolve("parts")), 21,
                PipelineOptions.defaults())) {
            Video fromParts = parts.generate(request, null);
            assertThat(fromParts.toTensor().sub(fromBundle.toTensor()).amaxNumber().doubleValue()).isLessThan(1e-6);
        }
    }

    @Test
    void aMissingOrIncompleteBundleFailsNamingTheFile() throws Exception {
        assertThatThrownBy(() -> TextToVideoPipeline.load(dir.resolve("absent")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("absent");
        Path bundle = TinyBundle.write(dir.resolve("tiny"), 1);
        Files.delete(bundle.resolve("denoiser.safetensors"));
        assertThatThrownBy(() -> TextToVideoPipeline.load(bundle)).hasMessageContaining("denoiser.safetensors");
    }

    @Test
    void aTextEncoderThatFailsToOpenOnItsThreadFailsTheLoadWithItsOwnError() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny"), 1);
        // Present (the bundle's file check passes) but not a tokenizer: the encoder fails on its own thread.
        Files.writeString(bundle.resolve("text/tokenizer.json"), "not json");
        assertThatThrownBy(() -> TextToVideoPipeline.load(bundle))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text/tokenizer.json: not a JSON tokenizer");
    }

    @Test
    void theOrtBackendGeneratesWhatSameDiffGenerates() throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("tiny"), 1);
        Video reference;
        GenerationRequest request;
        try (TextToVideoPipeline p = TextToVideoPipeline.load(bundle)) {
            request = p.requestBuilder("a blue square moving left").seed(5).build();
            reference = p.generate(request, null);
        }
        try (TextToVideoPipeline p = TextToVideoPipeline.load(bundle, Backend.ORT)) {
            assertThat(p.backend()).isEqualTo(Backend.ORT);
            Video ort = p.generate(request, null);
            // Frames are 8-bit RGB in [-1, 1]: the two runtimes differ by a rounding step or two at most.
            assertThat(ort.toTensor().sub(reference.toTensor()).amaxNumber().doubleValue()).isLessThanOrEqualTo(4.0 / 255 + 1e-6);
        }
    }
}
