package dev.t2v.inference;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.data.video.Video;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline's own logic (windows, batching, noise, ownership) with fake, observable parts. */
class CoDenoiseTest {
    private static final DenoiserConfig CFG = TinyModel.config(); // window 4, 4 channels, 8x8 latents, text 24
    private static final int DOWN = 2;

    @BeforeEach
    void clearCloseLog() {
        FakeParts.CLOSED.clear();
    }

    private static TextToVideoPipeline pipeline(FakeParts.Backend backend, PipelineOptions options) {
        return new TextToVideoPipeline(backend, new FakeParts.Text(CFG.textDim(), 8, "text"),
                new FakeParts.Codec(CFG.latentChannels(), DOWN, "codec"), TinyModel.scheduler(), null, CFG.frames(),
                GenerationDefaults.forWindow(CFG.frames()), options);
    }

    private static FakeParts.Backend backend(Function<INDArray, INDArray> fn) {
        return new FakeParts.Backend(CFG, fn, "backend");
    }

    /** Latents whose every value in frame f is f. */
    private static INDArray frameIndexLatents(int frames) {
        int s = CFG.latentSize();
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, frames, CFG.latentChannels(), s, s);
        for (int f = 0; f < frames; f++) {
            x.get(NDArrayIndex.all(), NDArrayIndex.point(f)).assign(f);
        }
        return x;
    }

    private static List<TextToVideoPipeline.TextRow> rows(TextToVideoPipeline p, String... prompts) {
        List<TextToVideoPipeline.TextRow> out = new ArrayList<>();
        FakeParts.Text enc = new FakeParts.Text(CFG.textDim(), 8, "unused");
        for (String prompt : prompts) {
            out.add(TextToVideoPipeline.TextRow.of(enc.encode(List.of(prompt)), 0));
        }
        return out;
    }

    @Test
    void windowPlanCoversEveryFrameWithEqualLengthWindows() {
        assertThat(WindowPlan.of(12, 4, 2).starts()).containsExactly(0, 2, 4, 6, 8);
        assertThat(WindowPlan.of(10, 4, 4).starts()).containsExactly(0, 4, 6);
        assertThat(WindowPlan.of(12, 4, 2).coverage()).containsExactly(1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1);
        WindowPlan shortVideo = WindowPlan.of(3, 4, 2);
        assertThat(shortVideo.length()).isEqualTo(3);
        assertThat(shortVideo.starts()).containsExactly(0);
        assertThat(WindowPlan.of(7, 1, 1).count()).isEqualTo(7);
    }

    @Test
    void overlappingWindowPredictionsAreAveragedExactly() {
        // Each window's output is the constant mean of its input frames: start + 1.5 for a window starting at start.
        FakeParts.Backend b = backend(x -> Nd4j.valueArrayOf(x.shape(), x.meanNumber().floatValue(), DataType.FLOAT));
        try (TextToVideoPipeline p = pipeline(b, PipelineOptions.defaults())) {
            WindowPlan plan = WindowPlan.of(12, 4, 2);
            INDArray out = p.coDenoise(frameIndexLatents(12), 500, rows(p, "a red circle"), plan)[0];
            for (int f = 0; f < 12; f++) {
                float sum = 0;
                int n = 0;
                for (int s : plan.starts()) {
                    if (f >= s && f < s + 4) {
                        sum += s + 1.5f;
                        n++;
                    }
                }
                INDArray frame = out.get(NDArrayIndex.all(), NDArrayIndex.point(f));
                assertThat(frame.minNumber().floatValue()).as("frame %d", f).isEqualTo(sum / n);
                assertThat(frame.maxNumber().floatValue()).as("frame %d", f).isEqualTo(sum / n);
            }
        }
    }

    @Test
    void identityModelGivesBackTheLatentThroughTheWindows() {
        try (TextToVideoPipeline p = pipeline(backend(x -> x), PipelineOptions.defaults().withWindowStride(1))) {
            INDArray x = frameIndexLatents(11);
            INDArray out = p.coDenoise(x, 10, rows(p, "a", "b"), WindowPlan.of(11, 4, 1))[1];
            assertThat(out).isEqualTo(x);
        }
    }

    @Test
    void bothGuidanceBranchesAndAllWindowsShareBatchesUpToMaxBatch() {
        FakeParts.Backend big = backend(x -> x);
        try (TextToVideoPipeline p = pipeline(big, PipelineOptions.defaults().withMaxBatch(16))) {
            p.coDenoise(frameIndexLatents(12), 1, rows(p, "a red circle moving left", ""), WindowPlan.of(12, 4, 2));
        }
        assertThat(big.xShapes).hasSize(1);
        assertThat(big.xShapes.get(0)).containsExactly(10, 4, 4, 8, 8);
        // Rows of different lengths (5 words + 2 specials, and 2 specials) are padded to the longest.
        assertThat(big.textShapes.get(0)).containsExactly(10, 7, 24);

        FakeParts.Backend small = backend(x -> x);
        try (TextToVideoPipeline p = pipeline(small, PipelineOptions.defaults().withMaxBatch(4))) {
            p.coDenoise(frameIndexLatents(12), 1, rows(p, "a", "b"), WindowPlan.of(12, 4, 2));
        }
        assertThat(small.xShapes).extracting(s -> s[0]).containsExactly(4L, 4L, 2L);
    }

    @Test
    void guidanceOneRunsOnlyTheConditionalBranch() {
        FakeParts.Backend b = backend(x -> x.mul(0.1));
        try (TextToVideoPipeline p = pipeline(b, PipelineOptions.defaults())) {
            p.generate(GenerationRequest.builder("a cat").steps(2).frames(4).guidanceScale(1).sampler("ddim").build(), null);
            assertThat(b.xShapes).hasSize(2).allSatisfy(s -> assertThat(s[0]).isEqualTo(1));
            b.xShapes.clear();
            p.generate(GenerationRequest.builder("a cat").steps(2).frames(4).guidanceScale(3).sampler("ddim").build(), null);
            assertThat(b.xShapes).hasSize(2).allSatisfy(s -> assertThat(s[0]).isEqualTo(2));
        }
    }

    @Test
    void longRequestIsCoDenoisedInWindowsAndKeepsItsFrameCount() {
        FakeParts.Backend b = backend(x -> x.mul(0.1));
        try (TextToVideoPipeline p = pipeline(b, PipelineOptions.defaults().withMaxBatch(16))) {
            Video v = p.generate(GenerationRequest.builder("a cat").steps(2).frames(12).sampler("dpmpp").build(), null);
            assertThat(v.frameCount()).isEqualTo(12);
            assertThat(v.width()).isEqualTo(CFG.latentSize() * DOWN);
            // 5 windows x 2 branches in one call per step; every window is the model's 4 frames.
            assertThat(b.xShapes).hasSize(2).allSatisfy(s -> assertThat(s).containsExactly(10, 4, 4, 8, 8));
        }
    }

    @Test
    void freeNoiseReusesShuffledNoiseOfTheWindowBefore() {
        try (TextToVideoPipeline p = pipeline(backend(x -> x), PipelineOptions.defaults())) {
            INDArray noise = p.initialNoise(11, new SplittableRandom(5));
            assertThat(noise.shape()).containsExactly(1, 11, 4, 8, 8);
            List<INDArray> frames = new ArrayList<>();
            for (int f = 0; f < 11; f++) {
                frames.add(noise.get(NDArrayIndex.all(), NDArrayIndex.point(f)).dup());
            }
            // The first window is fresh noise: four distinct frames.
            Set<INDArray> firstWindow = new HashSet<>(frames.subList(0, 4));
            assertThat(firstWindow).hasSize(4);
            // Each later block of 2 frames is a permutation of the block one window (4 frames) earlier.
            for (int start = 4; start < 11; start += 2) {
                List<INDArray> source = frames.subList(start - 4, start - 2);
                for (int f = start; f < Math.min(11, start + 2); f++) {
                    assertThat(source).contains(frames.get(f));
                }
            }
            // Independent noise: every frame differs.
            try (TextToVideoPipeline q = pipeline(backend(x -> x),
                    PipelineOptions.defaults().withLongVideoNoise(LongVideoNoise.INDEPENDENT))) {
                INDArray ind = q.initialNoise(11, new SplittableRandom(5));
                Set<INDArray> distinct = new HashSet<>();
                for (int f = 0; f < 11; f++) {
                    distinct.add(ind.get(NDArrayIndex.all(), NDArrayIndex.point(f)).dup());
                }
                assertThat(distinct).hasSize(11);
            }
        }
    }

    @Test
    void aThrowingListenerAbortsTheGeneration() {
        try (TextToVideoPipeline p = pipeline(backend(x -> x.mul(0.1)), PipelineOptions.defaults())) {
            List<String> seen = new ArrayList<>();
            GenerationRequest r = GenerationRequest.builder("a cat").steps(5).frames(4).build();
            assertThatThrownBy(() -> p.generate(r, (stage, done, total) -> {
                seen.add(stage + done);
                if (stage.equals("denoise") && done == 2) {
                    throw new CancellationException("cancelled");
                }
            })).isInstanceOf(CancellationException.class);
            assertThat(seen).containsExactly("encode0", "encode1", "denoise0", "denoise1", "denoise2");
        }
    }

    @Test
    void closeClosesThePartsInReverseOrderOnceAndGenerateThenFails() {
        TextToVideoPipeline p = pipeline(backend(x -> x), PipelineOptions.defaults());
        p.close();
        p.close();
        assertThat(FakeParts.CLOSED).containsExactly("backend", "codec", "text");
        assertThatThrownBy(() -> p.generate(GenerationRequest.builder("a").build(), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void partsThatDoNotFitAreRejectedWithTheMismatchNamed() {
        FakeParts.Backend b = backend(x -> x);
        assertThatThrownBy(() -> new TextToVideoPipeline(b, new FakeParts.Text(16, 8, "t"),
                new FakeParts.Codec(4, 2, "c"), TinyModel.scheduler(), null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text_dim 24");
        assertThatThrownBy(() -> new TextToVideoPipeline(b, new FakeParts.Text(24, 77, "t"),
                new FakeParts.Codec(4, 2, "c"), TinyModel.scheduler(), null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_text_tokens 16");
        assertThatThrownBy(() -> new TextToVideoPipeline(b, new FakeParts.Text(24, 8, "t"),
                new FakeParts.Codec(3, 2, "c"), TinyModel.scheduler(), null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latent_channels 4");
        assertThat(FakeParts.CLOSED).isEmpty();
    }

    @Test
    void backendsNeedTheBundleWeightsAndParseByName() {
        assertThatThrownBy(() -> DenoiserBackends.open(Backend.ORT, java.nio.file.Path.of("."), CFG))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("denoiser.safetensors");
        assertThat(Backend.parse(" SameDiff ")).isEqualTo(Backend.SAMEDIFF);
        assertThatThrownBy(() -> Backend.parse("tf")).hasMessageContaining("samediff, ort");
    }
}
