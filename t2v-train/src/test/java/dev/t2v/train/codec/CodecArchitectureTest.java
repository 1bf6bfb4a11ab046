package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.train.codec.CodecArchitecture.Activation;
import dev.t2v.train.codec.CodecArchitecture.ConvSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecArchitectureTest {
    @Test
    void demoHasTheStableDiffusionVaeInterface() {
        CodecArchitecture demo = CodecArchitecture.demo();
        assertThat(demo.downsample()).isEqualTo(8);
        assertThat(demo.latentChannels()).isEqualTo(4);
        assertThat(CodecArchitecture.tiny().downsample()).isEqualTo(8);
    }

    @Test
    void encoderHalvesTheSizeOncePerExtraWidthAndEndsAtTheLatentChannels() {
        CodecArchitecture a = new CodecArchitecture(1, List.of(8, 16, 32), List.of(32, 16, 8), 3, 2, Activation.RELU);
        List<ConvSpec> enc = a.encoderLayers();
        assertThat(enc).extracting(ConvSpec::stride).containsExactly(1, 1, 2, 1, 2, 1, 1);
        assertThat(enc.get(0).in()).isEqualTo(3);
        assertThat(enc.get(enc.size() - 1).out()).isEqualTo(3);
        assertThat(enc.get(enc.size() - 1).activated()).isFalse();
        assertThat(a.downsample()).isEqualTo(4);
        List<ConvSpec> dec = a.decoderLayers();
        assertThat(dec).extracting(ConvSpec::upsampleBefore).containsExactly(false, false, true, false, true, false,
                false);
        assertThat(dec.get(dec.size() - 1).out()).isEqualTo(3);
    }

    @Test
    void patchesMoveThePixelsIntoChannelsAndDoubleTheDownsampling() {
        CodecArchitecture a = new CodecArchitecture(2, List.of(8, 16), List.of(16, 8), 4, 1, Activation.SILU);
        assertThat(a.downsample()).isEqualTo(4);
        assertThat(a.encoderLayers().get(0).in()).isEqualTo(12);
        assertThat(a.decoderLayers().get(a.decoderLayers().size() - 1).out()).isEqualTo(12);
    }

    @Test
    void parameterCountAddsEveryConvWeightAndBias() {
        CodecArchitecture a = new CodecArchitecture(1, List.of(2, 2), List.of(2, 2), 1, 1, Activation.RELU);
        // enc 3->2, 2->2 (s2), 2->1; dec 1->2, 2->2 (up), 2->3
        long expected = (3 * 2 * 9 + 2) + (2 * 2 * 9 + 2) + (2 * 9 + 1) + (2 * 9 + 2) + (2 * 2 * 9 + 2) + (2 * 3 * 9 + 3);
        assertThat(a.parameterCount()).isEqualTo(expected);
    }

    @Test
    void badShapesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new CodecArchitecture(3, List.of(8, 8), List.of(8, 8), 4, 1, Activation.RELU))
                .hasMessageContaining("patch");
        assertThatThrownBy(() -> new CodecArchitecture(1, List.of(8, 8), List.of(8), 4, 1, Activation.RELU))
                .hasMessageContaining("decoderWidths");
        assertThatThrownBy(() -> new CodecArchitecture(1, List.of(8), List.of(8), 4, 1, Activation.RELU))
                .hasMessageContaining("encoderWidths");
        assertThatThrownBy(() -> new CodecArchitecture(2, List.of(8, 0), List.of(8, 8), 4, 1, Activation.RELU))
                .hasMessageContaining("widths");
        assertThatThrownBy(() -> new CodecArchitecture(2, List.of(8, 8), List.of(8, 8), 0, 1, Activation.RELU))
                .hasMessageContaining("latentChannels");
        assertThatThrownBy(() -> new CodecArchitecture(2, List.of(8, 8), List.of(8, 8), 4, 0, Activation.RELU))
                .hasMessageContaining("stageConvs");
        assertThatThrownBy(() -> CodecArchitecture.preset("huge")).hasMessageContaining("huge")
                .hasMessageContaining("demo");
    }
}
