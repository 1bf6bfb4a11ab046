package dev.t2v.inference;

import dev.t2v.data.encode.BundleEncoders;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.Guidance;
import dev.t2v.core.diffusion.Noise;
import dev.t2v.core.diffusion.Scheduler;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.video.Video;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Text-to-video (and video-to-video) generation: a text encoder, a latent denoiser behind a {@link DenoiserBackend},
 * a scheduler made per request, and a latent codec. Built from a model bundle ({@link #load}) or from parts; it owns
 * its parts and closes them in reverse order.
 *
 * <p>Videos longer than the model's window are co-denoised in overlapping windows (Gen-L-Video, FreeNoise): at every
 * step each window is denoised, the prediction for a frame is the mean over the windows covering it, and then ONE
 * scheduler step moves the whole latent, so a multistep scheduler's history stays consistent. The initial noise of a
 * long video is rescheduled as {@link LongVideoNoise} says.
 *
 * <p>The same request and seed give the same frames, bit for bit. Not thread-safe: {@link #generate} is synchronized.
 */
public final class TextToVideoPipeline implements VideoGenerator, AutoCloseable {
    /** Progress stage names reported to the {@link ProgressListener}. */
    public static final String ENCODE = "encode";
    public static final String DENOISE = "denoise";
    public static final String DECODE = "decode";

    private final DenoiserBackend denoiser;
    private final TextEncoder textEncoder;
    private final LatentCodec codec;
    private final SchedulerConfig schedulerConfig;
    private final TextRow nullText;
    private final int window;
    private final GenerationDefaults defaults;
    private final PipelineOptions options;
    private boolean closed;

    /**
     * A pipeline from parts, with {@link GenerationDefaults#forWindow} defaults and {@link PipelineOptions#defaults()}.
     *
     * @see #TextToVideoPipeline(DenoiserBackend, TextEncoder, LatentCodec, SchedulerConfig, TextEmbeddings, int,
     *      GenerationDefaults, PipelineOptions)
     */
    public TextToVideoPipeline(DenoiserBackend denoiser, TextEncoder textEncoder, LatentCodec codec,
                               SchedulerConfig scheduler, TextEmbeddings nullText, int windowFrames) {
        this(denoiser, textEncoder, codec, scheduler, nullText, windowFrames, GenerationDefaults.forWindow(windowFrames),
                PipelineOptions.defaults());
    }

    /**
     * A pipeline from parts. Once constructed it owns the denoiser, the text encoder and the codec and closes them;
     * if the constructor throws, they stay the caller's.
     *
     * @param scheduler    the noise schedule the denoiser was trained with
     * @param nullText     the null condition for guidance without a negative prompt, batch 1 ({@code [1,T0,D]} and
     *                     mask {@code [1,T0]}); null to encode the empty prompt with {@code textEncoder}
     * @param windowFrames the frame window the denoiser was trained on; longer requests are co-denoised in windows
     * @throws IllegalArgumentException when the parts do not fit together (text width, token count, latent channels)
     */
    public TextToVideoPipeline(DenoiserBackend denoiser, TextEncoder textEncoder, LatentCodec codec,
                               SchedulerConfig scheduler, TextEmbeddings nullText, int windowFrames,
                               GenerationDefaults defaults, PipelineOptions options) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
        this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.schedulerConfig = Objects.requireNonNull(scheduler, "scheduler");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.options = Objects.requireNonNull(options, "options");
        DenoiserConfig cfg = denoiser.config();
        if (textEncoder.dim() != cfg.textDim()) {
            throw new IllegalArgumentException("the text encoder " + textEncoder.id() + " gives " + textEncoder.dim()
                    + "-wide embeddings but the denoiser expects text_dim " + cfg.textDim());
        }
        if (textEncoder.maxTokens() > cfg.maxTextTokens()) {
            throw new IllegalArgumentException("the text encoder keeps up to " + textEncoder.maxTokens()
                    + " tokens but the denoiser accepts at most max_text_tokens " + cfg.maxTextTokens());
        }
        if (codec.latentChannels() != cfg.latentChannels()) {
            throw new IllegalArgumentException("the codec " + codec.id() + " has " + codec.latentChannels()
                    + " latent channels but the denoiser expects latent_channels " + cfg.latentChannels());
        }
        if (windowFrames < 1) {
            throw new IllegalArgumentException("windowFrames must be >= 1, got " + windowFrames);
        }
        this.window = windowFrames;
        TextEmbeddings empty = nullText != null ? nullText : textEncoder.encode(List.of(""));
        if (empty.batchSize() != 1 || empty.dim() != cfg.textDim() || empty.length() > cfg.maxTextTokens()) {
            throw new IllegalArgumentException("the null text must be [1,T0," + cfg.textDim() + "] with T0 <= "
                    + cfg.maxTextTokens() + ", got " + Arrays.toString(empty.embeddings().shape()));
        }
        this.nullText = TextRow.of(empty, 0);
    }

    /** {@link #load(Path, Backend, PipelineOptions)} on SameDiff with the default options. */
    public static TextToVideoPipeline load(Path bundleDir) throws IOException {
        return load(bundleDir, Backend.SAMEDIFF, PipelineOptions.defaults());
    }

    /** {@link #load(Path, Backend, PipelineOptions)} with the default options. */
    public static TextToVideoPipeline load(Path bundleDir, Backend backend) throws IOException {
        return load(bundleDir, backend, PipelineOptions.defaults());
    }

    /**
     * Loads a model bundle (docs/formats.md): its config, EMA weights, null-text embedding, text encoder
     * and codec, with the bundle's {@code video} and {@code sampling} sections as the request defaults.
     *
     * @throws IOException                   naming the file when the bundle is incomplete or malformed
     * @throws UnsupportedOperationException when {@code backend} is not available
     */
    public static TextToVideoPipeline load(Path bundleDir, Backend backend, PipelineOptions options)
            throws IOException {
        ModelBundle bundle = ModelBundle.read(bundleDir);
        BundleInfo info = bundle.info();
        TextEmbeddings nullText = batchOfOne(bundle.nullText());
        GenerationDefaults defaults = new GenerationDefaults(info.video().frames(), info.video().fps(),
                info.sampling().sampler(), info.sampling().steps(), info.sampling().guidance(),
                info.sampling().guidanceInterval());
        // The text encoder (a tokenizer and an ONNX session: over half of a warm start) opens on its own thread while
        // the codec and the denoiser open on this one, so loading takes the slower of the two, not their sum.
        FutureTask<TextEncoder> textTask = new FutureTask<>(() -> BundleEncoders.openTextEncoder(bundle));
        Thread textThread = new Thread(textTask, "t2v-open-text-encoder");
        textThread.setDaemon(true);
        textThread.start();
        // Released in reverse order of this list (here on failure, in close() otherwise).
        List<AutoCloseable> opened = new ArrayList<>();
        TextEncoder text = null;
        try {
            LatentCodec codec = BundleEncoders.openCodec(bundle);
            opened.add(codec);
            DenoiserBackend denoiser = DenoiserBackends.open(backend, bundle.directory(), info.denoiser());
            opened.add(denoiser);
            text = await(textTask);
            opened.add(text);
            return new TextToVideoPipeline(denoiser, text, codec, info.scheduler(), nullText, info.video().frames(),
                    defaults, options);
        } catch (IOException | RuntimeException e) {
            if (text == null) {
                try {
                    opened.add(await(textTask)); // still ours to close once it has opened
                } catch (IOException | RuntimeException notOpened) {
                    // it failed too (or e is its failure): nothing of it to close
                }
            }
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The task's result, with its own exception rethrown as is; waits without giving up on interruption. */
    private static TextEncoder await(FutureTask<TextEncoder> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the task must finish, or its session would leak
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The bundle's {@code [T0,D]} null text as a batch of one. */
    private static TextEmbeddings batchOfOne(NullTextEmbedding n) {
        return new TextEmbeddings(n.embedding().reshape(1, n.tokens(), n.dim()), // [T0,D] -> [1,T0,D]
                n.mask().reshape(1, n.tokens())); // [T0] -> [1,T0]
    }

    /** The denoiser's config (latent shape, window, text width). */
    public DenoiserConfig denoiserConfig() {
        return denoiser.config();
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** Frames the denoiser sees at once; longer videos are co-denoised in overlapping windows. */
    public int windowFrames() {
        return window;
    }

    /** Width and height of the generated frames in pixels. */
    public int frameSize() {
        return denoiser.config().latentSize() * codec.downsample();
    }

    public GenerationDefaults defaults() {
        return defaults;
    }

    public PipelineOptions options() {
        return options;
    }

    public Backend backend() {
        return denoiser.kind();
    }

    /** A request builder for {@code prompt} with this model's defaults. */
    public GenerationRequest.Builder requestBuilder(String prompt) {
        return defaults.builder(prompt);
    }

    /**
     * Generates a video. Progress goes to {@code listener} per stage ({@link #ENCODE}, {@link #DENOISE} once per
     * step, {@link #DECODE} per chunk of frames); an exception thrown by the listener aborts the generation (how
     * callers cancel).
     */
    @Override
    public synchronized Video generate(GenerationRequest request, ProgressListener listener) {
        Objects.requireNonNull(request, "request");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        ensureOpen();
        boolean videoToVideo = request.initVideo() != null;
        int encodeUnits = videoToVideo ? 2 : 1;

        // 1. Encode the prompt and, for guidance, the negative prompt (or the stored null embedding when it is empty).
        progress.onProgress(ENCODE, 0, encodeUnits);
        List<TextRow> text = encodePrompts(request);
        progress.onProgress(ENCODE, 1, encodeUnits);

        // 2. Prepare the timesteps and the seeded initial latents: pure noise, or for video-to-video (SDEdit) the
        //    encoded init video noised to the first timestep of the strength-shortened schedule.
        SplittableRandom root = new SplittableRandom(request.seed());
        Scheduler scheduler = Schedulers.create(request.sampler(), schedulerConfig, request.eta(), root.nextLong());
        scheduler.setTimesteps(request.steps());
        INDArray noise = initialNoise(request.frames(), root.split());
        int[] timesteps;
        INDArray latents;
        if (videoToVideo) {
            timesteps = scheduler.timestepsForStrength(request.strength());
            INDArray clean = encodeVideo(request.initVideo(), request.frames());
            latents = scheduler.addNoise(clean, noise, new int[] {timesteps[0]});
            progress.onProgress(ENCODE, 2, encodeUnits);
        } else {
            timesteps = scheduler.timesteps();
            latents = noise.muli(scheduler.initNoiseSigma());
        }

        // 3. Denoise: per step, both guidance branches (one outside the guidance interval) and every window in one
        //    batch, windows averaged, guidance applied, then one scheduler step on the full latent.
        WindowPlan plan = WindowPlan.of(request.frames(), window, options.strideFor(window));
        progress.onProgress(DENOISE, 0, timesteps.length);
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            INDArray modelInput = scheduler.scaleModelInput(latents, t);
            boolean guided = text.size() > 1 && request.guidanceInterval().contains(t);
            INDArray[] branches = coDenoise(modelInput, t, guided ? text : text.subList(0, 1), plan);
            INDArray prediction = !guided ? branches[0]
                    : Guidance.apply(branches[0], branches[1], request.guidanceScale(), request.guidanceRescale());
            latents = scheduler.step(prediction, t, latents).prevSample();
            progress.onProgress(DENOISE, i + 1, timesteps.length);
        }

        // 4. Decode with the codec in FP32, in chunks of frames.
        INDArray frames = decode(latents, progress);

        // 5. Clamp to [-1, 1] and convert to RGB.
        return Video.fromTensor(clamp(frames), request.fps());
    }

    // ---------------------------------------------------------------- step 1: text

    /** One prompt's tokens, trimmed to its last real token: {@code [1,T,D]} and mask {@code [1,T]}. */
    record TextRow(INDArray embedding, INDArray mask) {
        static TextRow of(TextEmbeddings e, int row) {
            // An all-padding row keeps one (masked) token: T must be >= 1.
            TextEmbeddings r = e.row(row, Math.max(1, e.tokens(row)));
            return new TextRow(r.embeddings(), r.mask());
        }

        int length() {
            return (int) embedding.size(1);
        }
    }

    /** The conditional row, plus the unconditional one when guidance is on. */
    private List<TextRow> encodePrompts(GenerationRequest request) {
        if (!request.usesGuidance()) {
            return List.of(TextRow.of(textEncoder.encode(List.of(request.prompt())), 0));
        }
        if (request.negativePrompt().isEmpty()) {
            return List.of(TextRow.of(textEncoder.encode(List.of(request.prompt())), 0), nullText);
        }
        TextEmbeddings both = textEncoder.encode(List.of(request.prompt(), request.negativePrompt()));
        return List.of(TextRow.of(both, 0), TextRow.of(both, 1));
    }

    // ---------------------------------------------------------------- step 2: latents

    /** Seeded noise {@code [1,F,C,h,w]}; frames past the first window follow {@link PipelineOptions#longVideoNoise()}. */
    INDArray initialNoise(int frames, SplittableRandom rng) {
        DenoiserConfig cfg = denoiser.config();
        int c = cfg.latentChannels();
        int s = cfg.latentSize();
        if (frames <= window || options.longVideoNoise() == LongVideoNoise.INDEPENDENT) {
            return Noise.gaussian(new long[] {1, frames, c, s, s}, rng.split());
        }
        // FreeNoise: fresh noise for the first window; each later block of `stride` frames is a shuffle of the block
        // one window earlier.
        int frameSize = c * s * s;
        float[] first = Noise.gaussian(new long[] {window * (long) frameSize}, rng.split()).toFloatVector();
        float[] all = Arrays.copyOf(first, frames * frameSize);
        SplittableRandom shuffle = rng.split();
        int stride = options.strideFor(window);
        for (int start = window; start < frames; start += stride) {
            int from = start - window;
            int n = Math.min(stride, frames - start);
            int[] order = permutation(stride, shuffle); // a short last block takes the first n of a full shuffle
            for (int k = 0; k < n; k++) {
                System.arraycopy(all, (from + order[k]) * frameSize, all, (start + k) * frameSize, frameSize);
            }
        }
        return Nd4j.create(all, new long[] {1, frames, c, s, s}, 'c');
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher–Yates
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /** The init video resized to the model's frame size, {@code frames} long, encoded: {@code [1,F,C,h,w]}. */
    private INDArray encodeVideo(Video video, int frames) {
        DenoiserConfig cfg = denoiser.config();
        INDArray pixels = video.toModelTensor(frames, frameSize()); // [F,3,S,S], resized as preprocessing does
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < frames; start += options.decodeChunk()) {
            int end = Math.min(frames, start + options.decodeChunk());
            parts.add(codec.encode(pixels.get(NDArrayIndex.interval(start, end)).dup()).castTo(DataType.FLOAT));
        }
        INDArray latents = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
        long[] expected = {frames, cfg.latentChannels(), cfg.latentSize(), cfg.latentSize()};
        if (!Arrays.equals(latents.shape(), expected)) {
            throw new IllegalStateException("the codec " + codec.id() + " encoded the init video to "
                    + Arrays.toString(latents.shape()) + ", expected " + Arrays.toString(expected));
        }
        return latents.reshape(1, frames, cfg.latentChannels(), cfg.latentSize(), cfg.latentSize()); // [F,C,h,w] -> [1,F,C,h,w]
    }

    /**
     * The video encoded and decoded by the model's codec, {@code frames} long at the model's frame size: what the
     * codec lets through, so the ceiling of any generation's fidelity (the evaluation's "through the codec" row).
     */
    public synchronized Video reconstruct(Video video, int frames) {
        Objects.requireNonNull(video, "video");
        ensureOpen();
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        return Video.fromTensor(clamp(decode(encodeVideo(video, frames), ProgressListener.NONE)), video.fps());
    }

    // ---------------------------------------------------------------- step 3: co-denoising

    /**
     * The denoiser's prediction for the whole latent {@code x [1,F,C,h,w]} under each text row: every (row, window)
     * pair is one batch sample, up to {@link PipelineOptions#maxBatch()} per call, and a frame's prediction is the mean
     * over the windows that cover it. Returns one {@code [1,F,C,h,w]} array per text row.
     */
    INDArray[] coDenoise(INDArray x, int t, List<TextRow> text, WindowPlan plan) {
        int windows = plan.count();
        int len = plan.length();
        INDArray[] sums = new INDArray[text.size()];
        for (int k = 0; k < sums.length; k++) {
            sums[k] = Nd4j.zeros(DataType.FLOAT, x.shape());
        }
        int items = text.size() * windows; // item j: text row j / windows, window j % windows
        for (int first = 0; first < items; first += options.maxBatch()) {
            int n = Math.min(options.maxBatch(), items - first);
            INDArray[] xs = new INDArray[n];
            List<TextRow> rows = new ArrayList<>(n);
            for (int b = 0; b < n; b++) {
                int j = first + b;
                int start = plan.start(j % windows);
                xs[b] = x.get(NDArrayIndex.all(), NDArrayIndex.interval(start, start + len)); // [1,L,C,h,w]
                rows.add(text.get(j / windows));
            }
            INDArray batchX = Nd4j.concat(0, xs); // [n,L,C,h,w]
            INDArray[] batchText = padText(rows);
            INDArray batchT = Nd4j.valueArrayOf(new long[] {n}, (float) t, DataType.FLOAT);
            INDArray out = denoiser.predict(batchX, batchT, batchText[0], batchText[1]);
            if (!Arrays.equals(out.shape(), batchX.shape())) {
                throw new IllegalStateException("the denoiser returned " + Arrays.toString(out.shape()) + " for input "
                        + Arrays.toString(batchX.shape()));
            }
            for (int b = 0; b < n; b++) {
                int j = first + b;
                int start = plan.start(j % windows);
                sums[j / windows].get(NDArrayIndex.all(), NDArrayIndex.interval(start, start + len))
                        .addi(out.get(NDArrayIndex.interval(b, b + 1)).castTo(DataType.FLOAT));
            }
        }
        int[] coverage = plan.coverage();
        for (INDArray sum : sums) {
            for (int f = 0; f < coverage.length; f++) {
                if (coverage[f] > 1) {
                    sum.get(NDArrayIndex.all(), NDArrayIndex.point(f)).divi(coverage[f]);
                }
            }
        }
        return sums;
    }

    /** Rows of different lengths as one batch: {@code [n,T,D]} and mask {@code [n,T]}, padded with mask 0. */
    private static INDArray[] padText(List<TextRow> rows) {
        int t = rows.stream().mapToInt(TextRow::length).max().orElseThrow();
        long d = rows.get(0).embedding().size(2);
        INDArray text = Nd4j.zeros(DataType.FLOAT, rows.size(), t, d);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, rows.size(), t);
        for (int i = 0; i < rows.size(); i++) {
            TextRow r = rows.get(i);
            int len = r.length();
            text.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(0, len), NDArrayIndex.all()).assign(r.embedding());
            mask.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(0, len)).assign(r.mask());
        }
        return new INDArray[] {text, mask};
    }

    // ---------------------------------------------------------------- steps 4 and 5: decode

    /** {@code [1,F,C,h,w]} latents to {@code [F,3,H,W]} frames, FP32, in chunks. */
    private INDArray decode(INDArray latents, ProgressListener progress) {
        int frames = (int) latents.size(1);
        INDArray flat = latents.castTo(DataType.FLOAT).reshape(frames, latents.size(2), latents.size(3), latents.size(4)); // [1,F,C,h,w] -> [F,C,h,w]
        List<INDArray> parts = new ArrayList<>();
        progress.onProgress(DECODE, 0, frames);
        for (int start = 0; start < frames; start += options.decodeChunk()) {
            int end = Math.min(frames, start + options.decodeChunk());
            parts.add(codec.decode(flat.get(NDArrayIndex.interval(start, end)).dup()).castTo(DataType.FLOAT));
            progress.onProgress(DECODE, end, frames);
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static INDArray clamp(INDArray frames) {
        // Video.fromTensor clamps too; doing it here keeps the tensor it sees in range whatever the codec returned.
        return org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(frames, -1.0, false), 1.0, false);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the pipeline is closed");
        }
    }

    /** Closes the denoiser, the codec and the text encoder (the reverse of loading); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (AutoCloseable part : new AutoCloseable[] {denoiser, codec, textEncoder}) {
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the pipeline: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
