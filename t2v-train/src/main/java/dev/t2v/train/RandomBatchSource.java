package dev.t2v.train;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.train.dataset.TrainingBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gaussian stand-in data of a given shape, generated on demand from {@code (dataSeed, clip)}: for throughput
 * measurements and tests that need no preprocessed dataset. Clip i's latents are N(0, 1); its caption has between 2
 * and {@code maxTextTokens} real tokens of N(0, 1) values. Batches follow the {@link BatchSource} contract (a
 * per-epoch seeded shuffle, batch p = clips p·B … p·B+B-1 of it).
 */
public final class RandomBatchSource implements BatchSource {
    private final int clips;
    private final int frames;
    private final int channels;
    private final int latentSize;
    private final int textDim;
    private final int maxTextTokens;
    private final long dataSeed;
    private final NullTextEmbedding nullText;

    public RandomBatchSource(int clips, int frames, int channels, int latentSize, int textDim, int maxTextTokens,
            long dataSeed) {
        if (clips < 1 || frames < 1 || channels < 1 || latentSize < 1 || textDim < 1 || maxTextTokens < 2) {
            throw new IllegalArgumentException("random data needs positive sizes and at least 2 text tokens");
        }
        this.clips = clips;
        this.frames = frames;
        this.channels = channels;
        this.latentSize = latentSize;
        this.textDim = textDim;
        this.maxTextTokens = maxTextTokens;
        this.dataSeed = dataSeed;
        SplittableRandom r = new SplittableRandom(TrainingRandom.mix(dataSeed ^ 0x6E756C6CL));
        float[] e = new float[2 * textDim];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) r.nextGaussian();
        }
        this.nullText = new NullTextEmbedding(Nd4j.create(e, new long[] {2, textDim}, 'c'),
                Nd4j.create(new float[] {1, 1}, new long[] {2}, 'c'));
    }

    @Override
    public int size() {
        return clips;
    }

    @Override
    public int batchesPerEpoch(int batchSize) {
        return clips / batchSize;
    }

    @Override
    public TrainingBatch batch(long seed, long epoch, int position, int batchSize, int textTokens) {
        if (position < 0 || position >= batchesPerEpoch(batchSize)) {
            throw new IndexOutOfBoundsException("position " + position + " outside the epoch's "
                    + batchesPerEpoch(batchSize) + " batches");
        }
        int[] order = order(seed, epoch);
        int per = frames * channels * latentSize * latentSize;
        float[] lat = new float[batchSize * per];
        float[] text = new float[batchSize * textTokens * textDim];
        float[] mask = new float[batchSize * textTokens];
        List<String> ids = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            ids.add("random-" + order[position * batchSize + i]);
            SplittableRandom r = new SplittableRandom(TrainingRandom.mix(dataSeed + order[position * batchSize + i]));
            for (int j = 0; j < per; j++) {
                lat[i * per + j] = (float) r.nextGaussian();
            }
            int len = Math.min(textTokens, 2 + r.nextInt(maxTextTokens - 1));
            for (int j = 0; j < len * textDim; j++) {
                text[i * textTokens * textDim + j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < len; j++) {
                mask[i * textTokens + j] = 1;
            }
        }
        return new TrainingBatch(Nd4j.create(lat, new long[] {batchSize, frames, channels, latentSize, latentSize}, 'c'),
                Nd4j.create(text, new long[] {batchSize, textTokens, textDim}, 'c'),
                Nd4j.create(mask, new long[] {batchSize, textTokens}, 'c'), ids);
    }

    private int[] order(long seed, long epoch) {
        int[] o = new int[clips];
        for (int i = 0; i < clips; i++) {
            o[i] = i;
        }
        SplittableRandom r = new SplittableRandom(TrainingRandom.mix(TrainingRandom.mix(seed ^ dataSeed) + epoch));
        for (int i = clips - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    @Override
    public int frames() {
        return frames;
    }

    @Override
    public int latentChannels() {
        return channels;
    }

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    public int textDim() {
        return textDim;
    }

    @Override
    public int maxTextTokens() {
        return maxTextTokens;
    }

    @Override
    public NullTextEmbedding nullText() {
        return nullText;
    }

    @Override
    public String fingerprint() {
        return "random-" + clips + "x" + frames + "x" + channels + "x" + latentSize + "-text" + textDim + "-seed"
                + dataSeed;
    }
}
