package dev.t2v.inference.eval;

import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.Shape;
import dev.t2v.data.video.Video;
import dev.t2v.inference.PipelineOptions;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.TinyModel;
import dev.t2v.inference.eval.synthetic.AdherenceReport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AdherenceEvaluatorTest {
    @TempDir
    Path dir;

    @Test
    void endToEndOnTheTinyModelScoresEverySampleAndTimesTheRun() throws Exception {
        List<PromptSpec> prompts = List.of(
                new PromptSpec("a red circle moving left", new Combo(Colour.RED, Shape.CIRCLE, Direction.LEFT), false),
                new PromptSpec("a blue square moving up", new Combo(Colour.BLUE, Shape.SQUARE, Direction.UP), true));
        EvalOptions options = new EvalOptions(2, 4, 8, 2, 3.0, "ddim", 100, null);
        List<String> stages = new ArrayList<>();
        AdherenceEvaluator.Result result;
        try (TextToVideoPipeline p = TinyModel.pipeline(TinyModel.write(dir), 5, PipelineOptions.defaults())) {
            result = AdherenceEvaluator.evaluate(p, prompts, options, (s, d, t) -> {
                if (s.equals(AdherenceEvaluator.STAGE)) {
                    stages.add(d + "/" + t);
                }
            });
        }
        AdherenceReport r = result.report();
        assertThat(r.items()).hasSize(4);
        assertThat(r.seen().count()).isEqualTo(2);
        assertThat(r.heldOut().count()).isEqualTo(2);
        assertThat(r.all().colour()).isBetween(0.0, 1.0);
        assertThat(r.format()).contains("held-out").contains("colour").contains("direction");
        assertThat(stages).containsExactly("0/4", "1/4", "2/4", "3/4", "4/4");
        assertThat(result.throughput().videos()).isEqualTo(4);
        assertThat(result.throughput().steps()).isEqualTo(8);
        assertThat(result.throughput().frames()).isEqualTo(16);
    }

    @Test
    void aGeneratorThatDrawsThePromptScoresFullMarksWithSeedsPerSample() throws Exception {
        // A stand-in generator that draws exactly what the prompt asks: the scoring must give 100 %.
        List<Long> seeds = new ArrayList<>();
        List<PromptSpec> prompts = List.of(
                new PromptSpec("a red square moving right", new Combo(Colour.RED, Shape.SQUARE, Direction.RIGHT), false),
                new PromptSpec("a green square moving down", new Combo(Colour.GREEN, Shape.SQUARE, Direction.DOWN), true));
        AdherenceEvaluator.Result result = AdherenceEvaluator.evaluate((req, listener) -> {
            seeds.add(req.seed());
            boolean red = req.prompt().contains("red");
            return squareVideo(red ? new Color(230, 30, 30) : new Color(30, 200, 40), red ? 1 : 0, red ? 0 : 1,
                    req.frames());
        }, prompts, new EvalOptions(3, 8, 8, 5, 5, "dpmpp", 40, null), null);
        assertThat(seeds).containsExactly(40L, 41L, 42L, 43L, 44L, 45L);
        assertThat(result.report().all().allThree()).isEqualTo(1.0);
        assertThat(result.report().items()).hasSize(6);
        assertThat(result.report().items()).extracting(AdherenceReport.Item::video)
                .containsExactly("seed 40", "seed 41", "seed 42", "seed 43", "seed 44", "seed 45");
        // One 14-pixel square moving 4 pixels a frame: IoU of consecutive masks 10·14 / (18·14).
        assertThat(result.report().all().objectsPerFrame()).isEqualTo(1.0);
        assertThat(result.report().all().flicker()).isCloseTo(1 - 10.0 / 18, within(1e-12));
    }

    private static Video squareVideo(Color colour, int dx, int dy, int frames) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(250, 250, 250));
            g.fillRect(0, 0, 64, 64);
            g.setColor(colour);
            g.fillRect(12 + 4 * i * dx, 12 + 4 * i * dy, 14, 14);
            g.dispose();
            out.add(img);
        }
        return new Video(out, 8);
    }
}
