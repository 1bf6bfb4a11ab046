package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecInfoTest {
    @TempDir
    Path dir;

    static CodecInfo sample() {
        CodecArchitecture arch = CodecArchitecture.demo();
        return new CodecInfo(CodecInfo.FORMAT, CodecInfo.VERSION, "encoder.onnx", "decoder.onnx", 0.8125, 4, 8, 1.2307,
                List.of(0.1, -0.2, 0.3, 0.0), CodecInfo.Architecture.of(arch),
                CodecInfo.Training.of(CodecTrainingConfig.defaults(1500).withSeed(7), 0.0004, 812.5),
                new CodecInfo.Data("sha256:abc", 128, 8, 152, 1216),
                new CodecInfo.HeldOut(33.1, 29.5, 32, 256, List.of("validate", "test")));
    }

    @Test
    void jsonRoundTripsEveryField() throws IOException {
        CodecInfo info = sample();
        assertThat(CodecInfo.fromJson(info.toJson())).isEqualTo(info);
        info.write(dir);
        assertThat(CodecInfo.read(dir)).isEqualTo(info);
        assertThat(CodecInfo.read(dir).architecture().toArchitecture()).isEqualTo(CodecArchitecture.demo());
        assertThat(CodecInfo.read(dir).training().toConfig()).isEqualTo(CodecTrainingConfig.defaults(1500).withSeed(7));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CodecInfo.FILE_NAME);
        }
    }

    @Test
    void jsonUsesSnakeCaseNamesForTheFieldsReadersNeed() {
        String json = sample().toJson();
        assertThat(json).contains("\"scaling_factor\" : 0.8125", "\"latent_channels\" : 4", "\"downsample\" : 8",
                "\"held_out\"", "\"psnr_db\" : 33.1", "\"activation\" : \"silu\"");
    }

    @Test
    void badFieldsAreRejectedNamingThem() {
        String json = sample().toJson();
        assertThatThrownBy(() -> CodecInfo.fromJson(json.replace("\"scaling_factor\" : 0.8125", "\"scaling_factor\" : -1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scaling_factor");
        assertThatThrownBy(() -> CodecInfo.fromJson(json.replace("\"t2v-codec\"", "\"other\"")))
                .hasMessageContaining("format");
        assertThatThrownBy(() -> CodecInfo.fromJson(json.replace("\"encoder.onnx\"", "\"../encoder.onnx\"")))
                .hasMessageContaining("encoder");
        assertThatThrownBy(() -> CodecInfo.fromJson(json.replace("\"activation\" : \"silu\"", "\"activation\" : \"gelu\"")))
                .hasMessageContaining("activation");
        assertThatThrownBy(() -> CodecInfo.fromJson("{")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codec.json");
    }

    @Test
    void readNamesTheFileOnABadField() throws IOException {
        Files.writeString(dir.resolve(CodecInfo.FILE_NAME), sample().toJson().replace("\"version\" : 1", "\"version\" : 9"));
        assertThatThrownBy(() -> CodecInfo.read(dir)).hasMessageContaining(dir.resolve(CodecInfo.FILE_NAME).toString())
                .hasMessageContaining("version 9");
    }
}
