package dev.t2v.train;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.train.dataset.ClipDataset;
import dev.t2v.train.dataset.TrainingBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** A preprocessed dataset's split as a {@link BatchSource}. Owns the {@link ClipDataset}. */
public final class ClipDatasetSource implements BatchSource, AutoCloseable {
    private final ClipDataset data;
    private final NullTextEmbedding nullText;

    public ClipDatasetSource(ClipDataset data) {
        this.data = data;
        this.nullText = data.nullText();
    }

    /** Opens the clips of one split of a {@code t2v preprocess} output directory. */
    public static ClipDatasetSource open(Path preprocessedDir, String split) throws IOException {
        return new ClipDatasetSource(ClipDataset.open(preprocessedDir, Set.of(split)));
    }

    public ClipDataset dataset() {
        return data;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public int batchesPerEpoch(int batchSize) {
        return data.batchesPerEpoch(batchSize);
    }

    @Override
    public TrainingBatch batch(long seed, long epoch, int position, int batchSize, int textTokens) {
        return data.batch(seed, epoch, position, batchSize, textTokens);
    }

    @Override
    public int frames() {
        return data.info().frames();
    }

    @Override
    public int latentChannels() {
        return data.info().latentChannels();
    }

    @Override
    public int latentSize() {
        return data.info().latentSize();
    }

    @Override
    public int textDim() {
        return data.info().textDim();
    }

    @Override
    public int maxTextTokens() {
        return data.info().maxTokens();
    }

    @Override
    public NullTextEmbedding nullText() {
        return nullText;
    }

    @Override
    public String fingerprint() {
        return data.manifestSha256();
    }

    @Override
    public void close() {
        data.close();
    }
}
