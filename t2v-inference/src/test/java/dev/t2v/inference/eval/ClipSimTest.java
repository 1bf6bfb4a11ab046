package dev.t2v.inference.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.fixtures.TokenizerFixtures;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.data.video.Video;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** CLIPSIM on the tiny random CLIP pair, checked against a by-hand computation straight on ONNX Runtime. */
class ClipSimTest {
    @TempDir
    static Path dir;
    static OnnxFixtures.ClipPairFiles clip;

    @BeforeAll
    static void writeFixtures() throws Exception {
        clip = OnnxFixtures.writeTinyClipPair(dir.resolve("clip"));
    }

    private static BufferedImage flat(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void scoreIsTheMeanOverFramesOfTheCosineWithThePromptComputedByHand() throws Exception {
        String prompt = "a red circle moving left";
        int[] colours = {0xC83214, 0x1E50DC};
        // Non-square frames of one flat colour: resizing and cropping keep the colour, so the CLIP input is known.
        Video video = new Video(List.of(flat(96, 64, colours[0]), flat(96, 64, colours[1])), 8);

        double[] expected = new double[2];
        long[] ids;
        try (ClipSim sim = ClipSim.open(clip.vision(), clip.text(), clip.tokenizer())) {
            ids = sim.tokenIds(prompt);
            ClipScore score = sim.score(video, prompt);

            assertThat(ids[0]).isEqualTo(TokenizerFixtures.CLIP_BOS);
            assertThat(ids[ids.length - 1]).isEqualTo(TokenizerFixtures.CLIP_EOS);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            double[] text = textEmbedsByHand(env, ids);
            for (int f = 0; f < 2; f++) {
                expected[f] = cosine(imageEmbedsByHand(env, colours[f]), text);
            }
            assertThat(score.frameCosines()[0]).isCloseTo(expected[0], offset(1e-5));
            assertThat(score.frameCosines()[1]).isCloseTo(expected[1], offset(1e-5));
            assertThat(score.mean()).isCloseTo((expected[0] + expected[1]) / 2, offset(1e-5));
            assertThat(score.times100()).isCloseTo(100 * score.mean(), offset(1e-9));
            assertThat(expected[0]).isNotCloseTo(expected[1], offset(1e-3)); // the frames really differ
        }
    }

    /** pixel_values filled with CLIP's normalisation of one colour, run on the vision model directly. */
    private static double[] imageEmbedsByHand(OrtEnvironment env, int rgb) throws Exception {
        int plane = 224 * 224;
        float[] px = new float[3 * plane];
        int[] channel = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        double[] mean = {0.48145466, 0.4578275, 0.40821073};
        double[] std = {0.26862954, 0.26130258, 0.27577711};
        for (int c = 0; c < 3; c++) {
            Arrays.fill(px, c * plane, (c + 1) * plane, (float) ((channel[c] / 255.0 - mean[c]) / std[c]));
        }
        try (OrtSession s = env.createSession(clip.vision().toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(px), new long[] {1, 3, 224, 224});
             OrtSession.Result r = s.run(Map.of("pixel_values", in))) {
            return toDoubles(((float[][]) r.get(0).getValue())[0]);
        }
    }

    /** The ids padded to 77 with end-of-text (mask 0 there), run on the text model directly. */
    private static double[] textEmbedsByHand(OrtEnvironment env, long[] ids) throws Exception {
        long[] padded = new long[77];
        long[] mask = new long[77];
        Arrays.fill(padded, TokenizerFixtures.CLIP_EOS);
        System.arraycopy(ids, 0, padded, 0, ids.length);
        Arrays.fill(mask, 0, ids.length, 1);
        try (OrtSession s = env.createSession(clip.text().toString(), new OrtSession.SessionOptions());
             OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(padded), new long[] {1, 77});
             OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, 77});
             OrtSession.Result r = s.run(Map.of("input_ids", i, "attention_mask", m))) {
            return toDoubles(((float[][]) r.get(0).getValue())[0]);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void framesAreNormalisedWithClipsMeanAndStd() {
        float[] px = ClipSim.pixelValues(List.of(flat(10, 20, 0xFFFFFF)));
        assertThat(px).hasSize(3 * 224 * 224);
        assertThat(px[0]).isCloseTo((float) ((1 - 0.48145466) / 0.26862954), offset(1e-4f));
        assertThat(px[224 * 224 + 7]).isCloseTo((float) ((1 - 0.4578275) / 0.26130258), offset(1e-4f));
        assertThat(px[3 * 224 * 224 - 1]).isCloseTo((float) ((1 - 0.40821073) / 0.27577711), offset(1e-4f));
    }

    @Test
    void aLongPromptIsCutToTheContextKeepingEndOfText() throws Exception {
        try (ClipSim sim = ClipSim.open(clip.vision(), clip.text(), clip.tokenizer())) {
            long[] ids = sim.tokenIds("red ".repeat(100));
            assertThat(ids).hasSize(77);
            assertThat(ids[76]).isEqualTo(TokenizerFixtures.CLIP_EOS);
            double s = sim.score(new Video(List.of(flat(8, 8, 0x808080)), 8), "red ".repeat(100)).mean();
            assertThat(s).isBetween(-1.0, 1.0);
        }
    }

    @Test
    void openFindsTheConventionalNamesAndRejectsSwappedModelsNamingTheFile() throws Exception {
        try (ClipSim sim = ClipSim.open(clip.vision().getParent())) {
            assertThat(sim.tokenIds("a")).startsWith(TokenizerFixtures.CLIP_BOS);
        }
        assertThatThrownBy(() -> ClipSim.open(clip.text(), clip.vision(), clip.tokenizer()))
                .isInstanceOf(OnnxModelException.class).hasMessageContaining("clip_text.onnx")
                .hasMessageContaining("pixel_values");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ClipSim.open(empty)).hasMessageContaining("clip_vision.onnx");
    }
}
