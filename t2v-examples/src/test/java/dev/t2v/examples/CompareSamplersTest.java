package dev.t2v.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.examples.CompareSamplers.Result;
import dev.t2v.examples.CompareSamplers.Run;
import dev.t2v.inference.output.ContactSheet;
import dev.t2v.inference.TinyBundle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CompareSamplers} on the tiny bundle, with step counts shrunk to keep the test fast. */
class CompareSamplersTest {
    @TempDir
    Path tmp;

    @Test
    void writesOneContactSheetPerSamplerRunInTheOrderGiven() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 4);
        List<Run> runs = List.of(new Run("ddpm", 12), new Run("ddim", 5), new Run("dpmpp", 4), new Run("dpmpp", 2));

        List<Result> results = CompareSamplers.run(bundle, "a green triangle moving up", runs, tmp.resolve("sheets"));

        assertThat(results).extracting(Result::run).containsExactlyElementsOf(runs);
        assertThat(results).extracting(r -> r.contactSheet().getFileName().toString())
                .containsExactly("ddpm-12.png", "ddim-5.png", "dpmpp-4.png", "dpmpp-2.png");
        for (Result r : results) {
            assertThat(r.seconds()).isPositive();
            BufferedImage sheet = ImageIO.read(r.contactSheet().toFile());
            assertThat(sheet).as(r.contactSheet().toString()).isNotNull();
            // 4 frames make a 2x2 grid of 64-pixel tiles (under a caption band).
            int cols = ContactSheet.columnsFor(TinyBundle.FRAMES);
            assertThat(sheet.getWidth()).isEqualTo(ContactSheet.GAP + cols * (TinyBundle.SIZE + ContactSheet.GAP));
            assertThat(sheet.getHeight()).isGreaterThan(2 * TinyBundle.SIZE);
        }
        // Different samplers take different paths from the same noise, so their pictures differ.
        assertThat(Files.readAllBytes(results.get(0).contactSheet()))
                .isNotEqualTo(Files.readAllBytes(results.get(1).contactSheet()));
    }

    @Test
    void mainPrintsOneTableRowPerDefaultRun() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 5);
        Path sheets = tmp.resolve("samplers");

        String table = Outputs.stdout(() -> CompareSamplers.main(new String[] {bundle.toString(), "a red square",
                sheets.toString()}));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(1 + CompareSamplers.DEFAULT_RUNS.size());
        assertThat(lines.get(0)).contains("sampler").contains("steps").contains("seconds");
        for (int i = 0; i < CompareSamplers.DEFAULT_RUNS.size(); i++) {
            Run run = CompareSamplers.DEFAULT_RUNS.get(i);
            Path sheet = sheets.resolve(run.sampler() + "-" + run.steps() + ".png");
            assertThat(lines.get(i + 1).split("\\s+")).startsWith(run.sampler(), String.valueOf(run.steps()));
            assertThat(lines.get(i + 1)).endsWith(sheet.toString());
            assertThat(sheet).isNotEmptyFile();
        }
    }

    @Test
    void anUnknownSamplerIsRefusedBeforeAnythingLoads() {
        assertThatThrownBy(() -> new Run("euler", 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("euler").hasMessageContaining("ddpm");
        assertThatThrownBy(() -> new Run("ddim", 0)).hasMessageContaining("steps >= 1");
    }
}
