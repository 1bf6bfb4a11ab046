package dev.t2v.train.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of the demo codec: a small fully convolutional autoencoder with the Stable Diffusion VAE's interface
 * (frames {@code [N,3,H,W]} to latents {@code [N,C,H/d,W/d]} and back).
 *
 * <p>Encoder: a space-to-depth rearrangement of {@code patch x patch} pixel blocks into channels (none when
 * {@code patch} is 1), {@code stageConvs} 3x3 convs to {@code encoderWidths[0]}, then per further width one stride-2
 * 3x3 conv (halving the size) followed by {@code stageConvs - 1} more, then a 3x3 conv to {@code latentChannels}.
 * Decoder, mirrored: {@code stageConvs} 3x3 convs from the latent to {@code decoderWidths[0]}, then per further width a
 * nearest-neighbour x2 upsampling and {@code stageConvs} 3x3 convs, then a 3x3 conv to {@code 3 * patch^2} channels with
 * no activation and a depth-to-space back to full resolution (the sub-pixel convolution of ESPCN). Every conv but the
 * two outer ones is followed by the activation. The downsampling factor is {@code patch * 2^(encoderWidths.size() - 1)}.
 *
 * <p>The patch rearrangements keep every conv off the full-resolution grid, which is where a conv costs most: the
 * demo network needs about a third of the multiply-adds per pixel of one with full-resolution convs.
 *
 * @param patch the space-to-depth block size, 1 or 2
 * @param encoderWidths channels at each encoder resolution, finest first
 * @param decoderWidths channels at each decoder resolution, coarsest first; as many as encoder widths
 * @param latentChannels C, the latent channels
 * @param stageConvs 3x3 convs per resolution (at least 1)
 * @param activation the nonlinearity after each hidden conv
 */
public record CodecArchitecture(int patch, List<Integer> encoderWidths, List<Integer> decoderWidths,
        int latentChannels, int stageConvs, Activation activation) {
    /** The nonlinearity; both SameDiff and the ONNX export build it from the same primitive ops. */
    public enum Activation {
        RELU,
        /** x * sigmoid(x), as PyTorch's {@code nn.SiLU}. */
        SILU;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int KERNEL = 3;
    private static final int MAX_WIDTH = 1024;

    public CodecArchitecture {
        if (patch != 1 && patch != 2) {
            throw new IllegalArgumentException("patch must be 1 or 2, got " + patch);
        }
        if (encoderWidths == null || encoderWidths.isEmpty() || encoderWidths.size() > 6) {
            throw new IllegalArgumentException("encoderWidths needs 1 to 6 entries, got " + encoderWidths);
        }
        if (patch == 1 && encoderWidths.size() < 2) {
            throw new IllegalArgumentException("without a patch, encoderWidths needs at least 2 entries (a codec must "
                    + "downsample), got " + encoderWidths);
        }
        encoderWidths = List.copyOf(encoderWidths);
        if (decoderWidths == null || decoderWidths.size() != encoderWidths.size()) {
            throw new IllegalArgumentException("decoderWidths needs as many entries as encoderWidths ("
                    + encoderWidths.size() + "), got " + decoderWidths);
        }
        decoderWidths = List.copyOf(decoderWidths);
        for (List<Integer> ws : List.of(encoderWidths, decoderWidths)) {
            for (int w : ws) {
                if (w < 1 || w > MAX_WIDTH) {
                    throw new IllegalArgumentException("widths must be in [1, " + MAX_WIDTH + "], got " + ws);
                }
            }
        }
        if (latentChannels < 1 || latentChannels > 64) {
            throw new IllegalArgumentException("latentChannels must be in [1, 64], got " + latentChannels);
        }
        if (stageConvs < 1 || stageConvs > 4) {
            throw new IllegalArgumentException("stageConvs must be in [1, 4], got " + stageConvs);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation must not be null");
        }
    }

    /** The demo codec: 2x2 patches, widths 32-64-64, downsample 8, 4 latent channels, SiLU. */
    public static CodecArchitecture demo() {
        return new CodecArchitecture(2, List.of(32, 64, 64), List.of(64, 64, 32), 4, 1, Activation.SILU);
    }

    /** A very small codec with the same interface (downsample 8, 4 channels), for tests. */
    public static CodecArchitecture tiny() {
        return new CodecArchitecture(2, List.of(8, 8, 8), List.of(8, 8, 8), 4, 1, Activation.SILU);
    }

    /** Preset by name: {@code demo} or {@code tiny}. */
    public static CodecArchitecture preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "demo" -> demo();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown codec preset '" + name + "'; expected one of "
                    + presetNames());
        };
    }

    public static List<String> presetNames() {
        return List.of("demo", "tiny");
    }

    /** d, frame size over latent size. */
    public int downsample() {
        return patch << (encoderWidths.size() - 1);
    }

    /** Channels after the space-to-depth: {@code 3 * patch^2}. */
    public int patchChannels() {
        return 3 * patch * patch;
    }

    /** The encoder's convs in order, from the (space-to-depth) frames to the latent. */
    public List<ConvSpec> encoderLayers() {
        List<ConvSpec> out = new ArrayList<>();
        int in = patchChannels();
        for (int s = 0; s < encoderWidths.size(); s++) {
            int w = encoderWidths.get(s);
            for (int k = 0; k < stageConvs; k++) {
                // The stem keeps the size; every later stage starts with a stride-2 conv.
                int stride = s > 0 && k == 0 ? 2 : 1;
                out.add(new ConvSpec("enc." + s + "." + k, in, w, stride, false, true));
                in = w;
            }
        }
        out.add(new ConvSpec("enc.out", in, latentChannels, 1, false, false));
        return out;
    }

    /** The decoder's convs in order, from the latent to the (depth-to-space) frames. */
    public List<ConvSpec> decoderLayers() {
        List<ConvSpec> out = new ArrayList<>();
        int in = latentChannels;
        for (int s = 0; s < decoderWidths.size(); s++) {
            int w = decoderWidths.get(s);
            for (int k = 0; k < stageConvs; k++) {
                out.add(new ConvSpec("dec." + s + "." + k, in, w, 1, s > 0 && k == 0, true));
                in = w;
            }
        }
        out.add(new ConvSpec("dec.out", in, patchChannels(), 1, false, false));
        return out;
    }

    /** Weights and biases in the whole codec. */
    public long parameterCount() {
        long n = 0;
        for (List<ConvSpec> layers : List.of(encoderLayers(), decoderLayers())) {
            for (ConvSpec c : layers) {
                n += (long) c.out() * c.in() * KERNEL * KERNEL + c.out();
            }
        }
        return n;
    }

    /**
     * One 3x3 conv with padding 1 (so stride 1 keeps the size and stride 2 halves an even size).
     *
     * @param name the parameter prefix: weights {@code name + ".w"}, bias {@code name + ".b"}
     * @param upsampleBefore a nearest-neighbour x2 upsampling of the input comes first
     * @param activated the activation follows
     */
    public record ConvSpec(String name, int in, int out, int stride, boolean upsampleBefore, boolean activated) {
        public ConvSpec {
            if (name == null || name.isBlank() || in < 1 || out < 1 || (stride != 1 && stride != 2)) {
                throw new IllegalArgumentException("bad conv " + name + ": in " + in + ", out " + out + ", stride "
                        + stride);
            }
        }

        public String weight() {
            return name + ".w";
        }

        public String bias() {
            return name + ".b";
        }
    }
}
