package dev.t2v.data.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetInfoTest {
    private static final String SOURCE = "out/dataset.json";

    private static DatasetInfo info() {
        return new DatasetInfo(DatasetInfo.FORMAT_VERSION, "minilm@abc", 384, 32, "vae@def", 0.18215, 4, 8, 8, 8.0,
                128, 2, 32, List.of("train", "validate"), 0, "/data/shapes", "0123abcd", "2026-01-02T03:04:05Z");
    }

    /** A file written before latents were recorded, as the earlier hand-written serialiser laid it out. */
    private static final String OLD_FILE = """
            {
              "format_version" : 1,
              "text_encoder" : {
                "id" : "minilm@abc",
                "dim" : 384,
                "max_tokens" : 32
              },
              "codec" : {
                "id" : "vae@def",
                "scaling_factor" : 0.18215,
                "latent_channels" : 4,
                "downsample" : 8
              },
              "clip" : {
                "frames" : 8,
                "fps" : 8.0,
                "size" : 128,
                "latent_size" : 16,
                "clips_per_video" : 2,
                "window_seconds" : 1.0,
                "placement" : "centred-in-equal-segments"
              },
              "shards" : {
                "videos_per_shard" : 32,
                "latents_dtype" : "F32",
                "text_dtype" : "F16"
              },
              "selection" : {
                "splits" : [ "train", "validate" ],
                "limit" : null
              },
              "source" : {
                "path" : "/data/shapes",
                "annotation_sha256" : "0123abcd"
              },
              "created" : "2026-01-02T03:04:05Z"
            }
            """;

    private static DatasetInfo parse(String json) throws IOException {
        return DatasetInfo.parse(json.getBytes(StandardCharsets.UTF_8), SOURCE);
    }

    @Test
    void writesTheSameLayoutAsBeforeAndReadsItBack() throws IOException {
        String json = new String(info().toJson(), StandardCharsets.UTF_8);
        assertThat(json.replace("\r\n", "\n")).isEqualTo(OLD_FILE.replace("\r\n", "\n"));
        assertThat(parse(json)).isEqualTo(info());
    }

    @Test
    void anOldFileWithoutLatentsReadsWithLatentsUnknown() throws IOException {
        assertThat(parse(OLD_FILE).latents()).isNull();
    }

    @Test
    void latentsAndModelFilesRoundTrip() throws IOException {
        DatasetInfo full = info().withModelFiles("/m/text.onnx", "/m/tokenizer.json", "/m/enc.onnx", null)
                .withLatents(new LatentStats(0.01, 0.98, 16));
        String json = new String(full.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"latents\" : {", "\"std\" : 0.98", "\"model\" : \"/m/text.onnx\"")
                .doesNotContain("\"decoder\"");
        assertThat(parse(json)).isEqualTo(full);
        assertThat(full.withLatents(null).differencesFrom(full)).isEmpty();
    }

    @Test
    void aMissingFieldIsNamedByItsJsonPath() {
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"dim\" : 384,", "")))
                .isInstanceOf(IOException.class).hasMessage(SOURCE + ": text_encoder.dim: missing");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"created\" : \"2026-01-02T03:04:05Z\"", "\"x\" : 1")))
                .hasMessage(SOURCE + ": created: missing");
    }

    @Test
    void anIllTypedFieldSaysWhatWasExpectedAndWhatCame() {
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"frames\" : 8,", "\"frames\" : \"8\",")))
                .hasMessage(SOURCE + ": clip.frames: expected an integer, got string \"8\"");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"frames\" : 8,", "\"frames\" : 8.5,")))
                .hasMessage(SOURCE + ": clip.frames: expected an integer, got number 8.5");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"fps\" : 8.0,", "\"fps\" : \"fast\",")))
                .hasMessage(SOURCE + ": clip.fps: expected a number, got string \"fast\"");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"id\" : \"vae@def\",", "\"id\" : 7,")))
                .hasMessage(SOURCE + ": codec.id: expected a string, got number 7");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"id\" : \"vae@def\",", "\"id\" : null,")))
                .hasMessage(SOURCE + ": codec.id: expected a string, got null");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"splits\" : [ \"train\", \"validate\" ]",
                "\"splits\" : \"train\""))).hasMessage(SOURCE + ": selection.splits: expected an array, got string "
                + "\"train\"");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"validate\" ]", "3 ]")))
                .hasMessage(SOURCE + ": selection.splits[1]: expected a string, got number 3");
    }

    @Test
    void versionPlacementAndValuesAreChecked() {
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"format_version\" : 1", "\"format_version\" : 2")))
                .hasMessage(SOURCE + ": format_version: expected 1, got 2 (written by another t2v version?)");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("centred-in-equal-segments", "random")))
                .hasMessage(SOURCE + ": clip.placement: expected \"centred-in-equal-segments\", got \"random\"");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"size\" : 128,", "\"size\" : 100,")))
                .hasMessage(SOURCE + ": size 100 must be a multiple of the downsample 8");
        assertThatThrownBy(() -> parse(OLD_FILE.replace("\"train\", \"validate\"", "\"train\", \"dev\"")))
                .hasMessageStartingWith(SOURCE + ": splits must be distinct names among");
    }

    @Test
    void brokenOrEmptyJsonIsNamed() {
        assertThatThrownBy(() -> parse("{\"format_version\": 1,")).hasMessageStartingWith(SOURCE + ": invalid JSON");
        assertThatThrownBy(() -> parse("")).hasMessage(SOURCE + ": (top): expected a JSON object, got an empty file");
        assertThatThrownBy(() -> parse("[1]")).hasMessage(SOURCE + ": (top): expected an object, got an array");
    }
}
