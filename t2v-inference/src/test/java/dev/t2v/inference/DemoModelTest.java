package dev.t2v.inference;

import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.io.JsonRecords;
import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.video.Video;
import dev.t2v.inference.eval.synthetic.ShapeDetection;
import dev.t2v.inference.eval.synthetic.ShapeDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo bundle committed in this module's resources (scripts/train-demo.sh) still loads and generates, so a change
 * that breaks the bundle format, the codec or the text encoder reference is caught here.
 */
class DemoModelTest {

    @Test
    void theCommittedDemoBundleIsOnTheClassPathAndExtractsIntact() throws Exception {
        assertThat(DemoModel.available()).as("the demo bundle is committed under " + DemoModel.RESOURCE_DIR).isTrue();
        Path dir = DemoModel.directory();
        assertThat(dir.resolve(ModelBundle.MODEL_JSON)).isRegularFile();
        ModelBundle bundle = ModelBundle.read(dir);
        assertThat(bundle.info().denoiser()).isEqualTo(dev.t2v.core.config.DenoiserConfig.preset("demo"));
        assertThat(bundle.info().video().size()).isGreaterThanOrEqualTo(128);
        assertThat(bundle.info().video().frames()).isGreaterThanOrEqualTo(8);
        // A second call finds every file intact and extracts nothing.
        long modified = Files.getLastModifiedTime(dir.resolve(ModelBundle.DENOISER_FILE)).toMillis();
        assertThat(DemoModel.directory()).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve(ModelBundle.DENOISER_FILE)).toMillis()).isEqualTo(modified);
    }

    @Test
    void theDemoModelJsonIsWrittenBackWithTheSameFieldsAndValues() throws Exception {
        // model.json is a format: reading the committed file and writing it again keeps every field and value
        byte[] file = Files.readAllBytes(DemoModel.directory().resolve(ModelBundle.MODEL_JSON));
        byte[] again = BundleInfo.parse(file, "demo/model.json").toJson();
        assertThat(JsonRecords.MAPPER.readTree(again)).isEqualTo(JsonRecords.MAPPER.readTree(file));
    }

    /**
     * The README's first command (the bundle's defaults, seed 0) draws one red object whose shape and motion the
     * detector can read. Which shape and which way is not asserted: the model reaches those on 28-53 % of videos
     * (docs/quality.md), and this seed draws a triangle moving down.
     */
    @Test
    void theDemoModelDrawsOneObjectOfTheAskedColourWithAReadableShapeAndMotion() throws Exception {
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(DemoModel.directory())) {
            Video video = pipeline.generate(pipeline.requestBuilder("a red circle moving right").seed(0).build(), null);
            assertThat(video.frameCount()).isEqualTo(pipeline.windowFrames());
            assertThat(video.width()).isEqualTo(pipeline.frameSize());
            ShapeDetection detection = new ShapeDetector().detect(video);
            assertThat(detection.colour()).as("detected %s", detection).contains(Colour.RED);
            assertThat(detection.shape()).as("detected %s", detection).isPresent();
            assertThat(detection.direction()).as("detected %s", detection).isPresent();
            assertThat(detection.objectsPerFrame()).as("detected %s", detection).isLessThanOrEqualTo(1.25);
        }
    }
}
