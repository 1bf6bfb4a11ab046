package dev.t2v.train.codec;

import dev.t2v.core.onnx.ElementType;
import dev.t2v.core.onnx.OnnxModelWriter;
import dev.t2v.train.codec.CodecArchitecture.ConvSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the codec as the two ONNX models {@link dev.t2v.data.encode.OnnxVae} loads, with the Stable Diffusion VAE's
 * names: {@code encoder.onnx} {@code sample [batch,3,height,width]} to {@code latent_sample
 * [batch,C,latent_height,latent_width]}, and {@code decoder.onnx} back. Batch and size are dynamic (multiples of d).
 *
 * <p>The graphs are the same ops as {@link CodecNetwork}'s SameDiff graph: SpaceToDepth / DepthToSpace (mode CRD) for
 * the patches, Conv (3x3, explicit pads 1), Sigmoid+Mul (SiLU) or Relu, and Resize (nearest, x2) for the upsampling. A per-channel {@code latentShift} is subtracted from the
 * encoder's output (folded into its last bias, which is exact) and added back before the decoder, so the exported
 * latents are centred without changing what the pair reconstructs.
 */
public final class CodecOnnxExport {
    public static final String ENCODER_FILE = "encoder.onnx";
    public static final String DECODER_FILE = "decoder.onnx";
    static final String SAMPLE = "sample";
    static final String LATENT_SAMPLE = "latent_sample";

    private CodecOnnxExport() {}

    /** Writes the encoder atomically; {@code latentShift} may be {@code null} (no shift). */
    public static Path writeEncoder(CodecArchitecture arch, Map<String, INDArray> weights, double[] latentShift,
            Path file) throws IOException {
        return encoder(arch, weights, latentShift).write(file);
    }

    /** Writes the decoder atomically; {@code latentShift} may be {@code null} (no shift). */
    public static Path writeDecoder(CodecArchitecture arch, Map<String, INDArray> weights, double[] latentShift,
            Path file) throws IOException {
        return decoder(arch, weights, latentShift).write(file);
    }

    static OnnxModelWriter encoder(CodecArchitecture arch, Map<String, INDArray> weights, double[] latentShift) {
        CodecNetwork.checkWeights(arch, weights);
        double[] shift = checkShift(arch, latentShift);
        OnnxModelWriter w = OnnxModelWriter.create("t2v_codec_encoder")
                .docString("t2v demo codec encoder: frames in [-1,1] to latents, downsample " + arch.downsample());
        String x = w.input(SAMPLE, ElementType.FLOAT, "batch", 3, "height", "width");
        List<ConvSpec> layers = arch.encoderLayers();
        String h = arch.patch() == 1 ? x : w.op("SpaceToDepth", x).attr("blocksize", arch.patch()).out();
        for (ConvSpec c : layers) {
            INDArray bias = weights.get(c.bias());
            if (c == layers.get(layers.size() - 1)) {
                // conv(x) + b - shift: folding the shift into the output bias is exact.
                bias = bias.castTo(DataType.DOUBLE).sub(org.nd4j.linalg.factory.Nd4j.createFromArray(shift));
            }
            h = layer(w, arch, c, h, weights.get(c.weight()), bias);
        }
        w.output(w.rename(h, LATENT_SAMPLE), ElementType.FLOAT, "batch", arch.latentChannels(), "latent_height",
                "latent_width");
        return w;
    }

    static OnnxModelWriter decoder(CodecArchitecture arch, Map<String, INDArray> weights, double[] latentShift) {
        CodecNetwork.checkWeights(arch, weights);
        double[] shift = checkShift(arch, latentShift);
        OnnxModelWriter w = OnnxModelWriter.create("t2v_codec_decoder")
                .docString("t2v demo codec decoder: latents to frames in about [-1,1], upsample " + arch.downsample());
        String h = w.input(LATENT_SAMPLE, ElementType.FLOAT, "batch", arch.latentChannels(), "latent_height",
                "latent_width");
        boolean shifted = false;
        float[] s = new float[shift.length];
        for (int i = 0; i < shift.length; i++) {
            s[i] = (float) shift[i];
            shifted |= shift[i] != 0;
        }
        if (shifted) {
            // Not foldable into the first conv's bias: its zero padding would see the shift only inside the frame.
            h = w.add(h, w.constant(s, 1, shift.length, 1, 1));
        }
        for (ConvSpec c : arch.decoderLayers()) {
            h = layer(w, arch, c, h, weights.get(c.weight()), weights.get(c.bias()));
        }
        if (arch.patch() > 1) {
            h = w.op("DepthToSpace", h).attr("blocksize", arch.patch()).attr("mode", "CRD").out();
        }
        w.output(w.rename(h, SAMPLE), ElementType.FLOAT, "batch", 3, "height", "width");
        return w;
    }

    private static String layer(OnnxModelWriter w, CodecArchitecture arch, ConvSpec c, String x, INDArray weight,
            INDArray bias) {
        String h = x;
        if (c.upsampleBefore()) {
            h = w.resize(h, "nearest", 1f, 1f, 2f, 2f);
        }
        h = w.conv(h, w.initializer(c.weight(), weight.castTo(DataType.FLOAT)),
                w.initializer(c.bias(), bias.castTo(DataType.FLOAT)), c.stride(), 1);
        if (!c.activated()) {
            return h;
        }
        return switch (arch.activation()) {
            case RELU -> w.relu(h);
            case SILU -> w.mul(h, w.sigmoid(h));
        };
    }

    private static double[] checkShift(CodecArchitecture arch, double[] shift) {
        if (shift == null) {
            return new double[arch.latentChannels()];
        }
        if (shift.length != arch.latentChannels()) {
            throw new IllegalArgumentException("latentShift needs " + arch.latentChannels() + " values, got "
                    + shift.length);
        }
        for (double v : shift) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("latentShift must be finite, got " + java.util.Arrays.toString(shift));
            }
        }
        return shift.clone();
    }
}
