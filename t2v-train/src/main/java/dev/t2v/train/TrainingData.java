package dev.t2v.train;

import dev.t2v.data.encode.BundleEncoders;
import dev.t2v.core.bundle.CodecRef;
import dev.t2v.core.bundle.TextEncoderRef;
import dev.t2v.core.bundle.VideoSpec;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.LatentStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A preprocessed dataset opened for training: its training and validation splits, and the text encoder and codec it
 * was made with, as bundle references.
 *
 * <p>The encoders are found from dataset.json's recorded files ({@code text_encoder.model/tokenizer},
 * {@code codec.encoder/decoder}); the default MiniLM by its id. Files passed explicitly (when the recorded ones have
 * moved) take precedence. Either way the files must give the ids dataset.json records, so a model can never be paired
 * with an encoder other than the one its data was made with.
 */
public final class TrainingData implements AutoCloseable {
    private final ClipDatasetSource train;
    private final ClipDatasetSource validation;
    private final DatasetInfo info;

    /** Files that override dataset.json's records; any may be {@code null}. */
    public record ModelFiles(Path vaeDir, Path textModel, Path tokenizer) {
        public static ModelFiles none() {
            return new ModelFiles(null, null, null);
        }
    }

    private TrainingData(ClipDatasetSource train, ClipDatasetSource validation) {
        this.train = train;
        this.validation = validation;
        this.info = train.dataset().info();
    }

    /** Opens the two splits of {@code dir}; an empty validation split gives {@link #validation()} {@code null}. */
    public static TrainingData open(Path dir, String trainSplit, String valSplit) throws IOException {
        ClipDatasetSource train = ClipDatasetSource.open(dir, trainSplit);
        try {
            ClipDatasetSource val = ClipDatasetSource.open(dir, valSplit);
            if (val.size() == 0) {
                val.close();
                val = null;
            }
            return new TrainingData(train, val);
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
    }

    public ClipDatasetSource train() {
        return train;
    }

    /** The held-out clips, {@code null} when the split is empty. */
    public ClipDatasetSource validation() {
        return validation;
    }

    public DatasetInfo info() {
        return info;
    }

    /**
     * The references a trained model's bundle needs.
     *
     * @throws IOException when an encoder's files cannot be found or give another id than dataset.json records
     */
    public BundleRefs refs(ModelFiles override) throws IOException {
        return new BundleRefs(textEncoder(override), codec(override),
                new VideoSpec(info.frames(), info.fps(), info.size()));
    }

    private TextEncoderRef textEncoder(ModelFiles o) throws IOException {
        Path model = o.textModel();
        Path tokenizer = o.tokenizer();
        if (model == null && info.textEncoderId().equals(BundleEncoders.miniLmId())) {
            return BundleEncoders.miniLm(info.maxTokens());
        }
        if (model == null && info.textModel() != null && info.textTokenizer() != null) {
            model = Path.of(info.textModel());
            tokenizer = Path.of(info.textTokenizer());
            if (!Files.isRegularFile(model) || !Files.isRegularFile(tokenizer)) {
                throw new IOException("dataset.json names the text encoder's files " + model + " and " + tokenizer
                        + ", which are gone; pass the moved files with --text-model and --tokenizer");
            }
        }
        if (model == null || tokenizer == null) {
            throw new IOException("dataset.json records text encoder " + info.textEncoderId() + " but not its files; "
                    + "pass them with --text-model and --tokenizer");
        }
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(tokenizer, model,
                OnnxTextEncoder.Options.defaults().withMaxTokens(info.maxTokens()))) {
            if (!TextEncoderRef.sameFiles(enc.id(), info.textEncoderId()) || enc.dim() != info.textDim()) {
                throw new IOException("text encoder " + model + " is " + enc.id() + " (dim " + enc.dim()
                        + ") but the dataset was made with " + info.textEncoderId() + " (dim " + info.textDim() + ")");
            }
            return BundleEncoders.ref(enc);
        }
    }

    private CodecRef codec(ModelFiles o) throws IOException {
        OnnxVae.Options options = new OnnxVae.Options(info.scalingFactor(), OnnxVae.DEFAULT_CHUNK_SIZE,
                info.downsample(), info.latentChannels(), 1);
        OnnxVae vae;
        if (o.vaeDir() != null) {
            vae = OnnxVae.fromDirectory(o.vaeDir(), options);
        } else if (info.codecDecoder() != null) {
            Path enc = info.codecEncoder() == null ? null : Path.of(info.codecEncoder());
            Path dec = Path.of(info.codecDecoder());
            if ((enc != null && !Files.isRegularFile(enc)) || !Files.isRegularFile(dec)) {
                throw new IOException("dataset.json names the codec's files " + (enc == null ? "" : enc + " and ")
                        + dec + ", which are gone; pass the moved VAE folder with --vae");
            }
            vae = OnnxVae.open(enc, dec, options);
        } else {
            throw new IOException("dataset.json records codec " + info.codecId() + " but not its files; pass the VAE "
                    + "folder with --vae");
        }
        try (vae) {
            if (vae.canEncode() && !vae.id().equals(info.codecId())) {
                throw new IOException("codec " + vae.decoderFile() + " is " + vae.id() + " but the dataset was made "
                        + "with " + info.codecId());
            }
            return BundleEncoders.ref(vae);
        }
    }

    @Override
    public void close() {
        train.close();
        if (validation != null) {
            validation.close();
        }
    }

    /** Latent std outside [MIN, MAX] means the wrong scaling factor: the schedule's noise expects std near 1. */
    public static final double MIN_LATENT_STD = 0.1;
    public static final double MAX_LATENT_STD = 10;
    private static final int STATS_CHUNK = 16;

    /**
     * Measures the training split's latents over at most {@code maxClips} clips (all of them when fewer), or
     * {@code null} when the split has none.
     */
    public LatentStats latentStats(int maxClips) {
        int n = Math.min(maxClips, train.size());
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (int start = 0; start < n; start += STATS_CHUNK) {
            int[] idx = IntStream.range(start, Math.min(n, start + STATS_CHUNK)).toArray();
            for (float v : train.dataset().clips(idx, 0, 0, 1).latents().data().asFloat()) {
                sum += v;
                sumSq += (double) v * v;
                count++;
            }
        }
        return count == 0 ? null : LatentStats.of(sum, sumSq, count, n);
    }

    /**
     * Why latents measured as {@code s} cannot train a model (std far from 1), or {@code null} when they can (or
     * nothing was measured).
     * Training on them would run to the end and learn nothing, silently.
     */
    public static String scaleProblem(LatentStats s, double scalingFactor) {
        if (s == null || (s.std() >= MIN_LATENT_STD && s.std() <= MAX_LATENT_STD)) {
            return null;
        }
        return String.format(Locale.ROOT, "the latents' std is %.4g (mean %.4g, over %d clips), far from the 1 "
                + "the noise schedule expects (allowed [%s, %s]): the dataset was preprocessed with scaling factor "
                + "%s, which does not fit its codec; re-run preprocess (with --vae DIR it reads the codec's own "
                + "factor from codec.json)", s.std(), s.mean(), s.clips(), MIN_LATENT_STD, MAX_LATENT_STD,
                scalingFactor);
    }
}
