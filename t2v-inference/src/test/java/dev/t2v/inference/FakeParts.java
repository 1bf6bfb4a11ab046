package dev.t2v.inference;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Cheap stand-ins for the pipeline's parts, with observable behaviour, for tests of the pipeline's own logic. */
final class FakeParts {
    private FakeParts() {
    }

    /** Records close order. */
    static final List<String> CLOSED = new ArrayList<>();

    /** One token per word plus two specials; token i of a prompt is (prompt hash + i) spread over D. */
    static final class Text implements TextEncoder {
        private final int dim;
        private final int maxTokens;
        private final String name;

        Text(int dim, int maxTokens, String name) {
            this.dim = dim;
            this.maxTokens = maxTokens;
            this.name = name;
        }

        @Override
        public TextEmbeddings encode(List<String> prompts) {
            int t = prompts.stream().mapToInt(this::length).max().orElseThrow();
            INDArray e = Nd4j.zeros(DataType.FLOAT, prompts.size(), t, dim);
            INDArray m = Nd4j.zeros(DataType.FLOAT, prompts.size(), t);
            for (int b = 0; b < prompts.size(); b++) {
                int len = length(prompts.get(b));
                int h = prompts.get(b).hashCode();
                for (int i = 0; i < len; i++) {
                    m.putScalar(b, i, 1);
                    for (int d = 0; d < dim; d++) {
                        e.putScalar(new long[] {b, i, d}, ((h + 31 * i + 7 * d) % 17) / 17.0);
                    }
                }
            }
            return new TextEmbeddings(e, m);
        }

        private int length(String p) {
            return Math.min(maxTokens, (p.isBlank() ? 0 : p.trim().split("\\s+").length) + 2);
        }

        @Override
        public int dim() {
            return dim;
        }

        @Override
        public int maxTokens() {
            return maxTokens;
        }

        @Override
        public String id() {
            return "fake-text";
        }

        @Override
        public void close() {
            CLOSED.add(name);
        }
    }

    /** Encode: average-pool by d, channel c = pixel channel c mod 3; decode: nearest upsample of channels 0..2. */
    static final class Codec implements LatentCodec {
        private final int channels;
        private final int down;
        private final String name;

        Codec(int channels, int down, String name) {
            this.channels = channels;
            this.down = down;
            this.name = name;
        }

        @Override
        public INDArray encode(INDArray frames) {
            long n = frames.size(0);
            long h = frames.size(2) / down;
            long w = frames.size(3) / down;
            INDArray out = Nd4j.zeros(DataType.FLOAT, n, channels, h, w);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            double s = 0;
                            for (int dy = 0; dy < down; dy++) {
                                for (int dx = 0; dx < down; dx++) {
                                    s += frames.getDouble(i, c % 3, y * down + dy, x * down + dx);
                                }
                            }
                            out.putScalar(new long[] {i, c, y, x}, s / (down * down));
                        }
                    }
                }
            }
            return out;
        }

        @Override
        public INDArray decode(INDArray latents) {
            long n = latents.size(0);
            long h = latents.size(2) * down;
            long w = latents.size(3) * down;
            INDArray out = Nd4j.zeros(DataType.FLOAT, n, 3, h, w);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            out.putScalar(new long[] {i, c, y, x}, latents.getDouble(i, c, y / down, x / down));
                        }
                    }
                }
            }
            return out;
        }

        @Override
        public double scalingFactor() {
            return 1;
        }

        @Override
        public int latentChannels() {
            return channels;
        }

        @Override
        public int downsample() {
            return down;
        }

        @Override
        public String id() {
            return "fake-codec";
        }

        @Override
        public void close() {
            CLOSED.add(name);
        }
    }

    /** A backend computing its output from each sample's input with {@code fn} ([1,L,C,h,w] -> same), recording calls. */
    static final class Backend implements DenoiserBackend {
        private final DenoiserConfig cfg;
        private final Function<INDArray, INDArray> fn;
        private final String name;
        final List<long[]> xShapes = new ArrayList<>();
        final List<long[]> textShapes = new ArrayList<>();

        Backend(DenoiserConfig cfg, Function<INDArray, INDArray> fn, String name) {
            this.cfg = cfg;
            this.fn = fn;
            this.name = name;
        }

        @Override
        public DenoiserConfig config() {
            return cfg;
        }

        @Override
        public INDArray predict(INDArray x, INDArray t, INDArray text, INDArray mask) {
            xShapes.add(x.shape());
            textShapes.add(text.shape());
            INDArray[] outs = new INDArray[(int) x.size(0)];
            for (int b = 0; b < outs.length; b++) {
                outs[b] = fn.apply(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b, b + 1)).dup());
            }
            return Nd4j.concat(0, outs);
        }

        @Override
        public dev.t2v.inference.Backend kind() {
            return dev.t2v.inference.Backend.SAMEDIFF;
        }

        @Override
        public void close() {
            CLOSED.add(name);
        }
    }
}
