package dev.t2v.inference.eval;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.t2v.data.encode.HfTokenizers;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import dev.t2v.data.video.Video;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLIPSIM (Wu et al. 2021): how well a video matches its prompt by CLIP. Any CLIP exported to ONNX works
 * (docs/onnx-export.md): a vision model {@code pixel_values [N,3,224,224]} to {@code image_embeds [N,E]}, a text model
 * with projection {@code input_ids (+ attention_mask) [N,77]} to {@code text_embeds [N,E]}, and its
 * {@code tokenizer.json}.
 *
 * <p>Frames are preprocessed as CLIP was trained ({@link ClipPreprocess}: Pillow's antialiased bicubic resize of the
 * short side to 224, the long side truncated, centre crop, CLIP's mean and std). Prompts are padded to 77 tokens with the
 * end-of-text id, as CLIP was trained; a longer prompt is cut and keeps its end-of-text token.
 */
public final class ClipSim implements AutoCloseable {
    public static final int IMAGE_SIZE = ClipPreprocess.SIZE;
    public static final int CONTEXT = 77;
    /** File names {@link #open(Path)} looks for, in order. */
    static final List<String> VISION_NAMES = List.of("clip_vision.onnx", "vision_model.onnx", "vision/model.onnx");
    static final List<String> TEXT_NAMES = List.of("clip_text.onnx", "text_model.onnx", "text/model.onnx");
    static final List<String> TOKENIZER_NAMES = List.of("tokenizer.json", "text/tokenizer.json");
    private static final int VISION_CHUNK = 8;

    private final HuggingFaceTokenizer tokenizer;
    private final OnnxSession vision;
    private final OnnxSession text;
    private final OnnxJavaType idsType;
    private final OnnxJavaType maskType;
    private final int visionBatch;
    private final boolean fixedVisionBatch;

    private ClipSim(HuggingFaceTokenizer tokenizer, OnnxSession vision, OnnxSession text) {
        this.tokenizer = tokenizer;
        this.vision = vision;
        this.text = text;
        TensorInfo px = vision.requireInput("pixel_values", 4, OnnxJavaType.FLOAT);
        vision.requireDim("pixel_values", px, 1, 3);
        vision.requireDim("pixel_values", px, 2, IMAGE_SIZE);
        vision.requireDim("pixel_values", px, 3, IMAGE_SIZE);
        TensorInfo imageOut = vision.requireOutput("image_embeds", 2, OnnxJavaType.FLOAT);
        vision.requireNoInputsOtherThan(Set.of("pixel_values"), "pixel_values only");
        long fixedBatch = OnnxSession.fixedDim(px, 0);
        this.fixedVisionBatch = fixedBatch > 0;
        this.visionBatch = fixedVisionBatch ? (int) fixedBatch : VISION_CHUNK;
        TensorInfo ids = text.requireInput("input_ids", 2, OnnxJavaType.INT64, OnnxJavaType.INT32);
        text.requireDim("input_ids", ids, 1, CONTEXT);
        text.requireDim("input_ids", ids, 0, 1); // prompts are fed one at a time
        this.idsType = ids.type;
        this.maskType = text.hasInput("attention_mask")
                ? text.requireInput("attention_mask", 2, OnnxJavaType.INT64, OnnxJavaType.INT32).type : null;
        text.requireNoInputsOtherThan(Set.of("input_ids", "attention_mask"), "input_ids and attention_mask");
        TensorInfo textOut = text.requireOutput("text_embeds", 2, OnnxJavaType.FLOAT);
        long e1 = OnnxSession.fixedDim(imageOut, 1);
        long e2 = OnnxSession.fixedDim(textOut, 1);
        if (e1 > 0 && e2 > 0 && e1 != e2) {
            throw text.error("text_embeds is " + e2 + " wide but " + vision.file() + " gives " + e1
                    + "-wide image_embeds; the two models are not a CLIP pair");
        }
    }

    /**
     * Opens a directory holding the vision model ({@code clip_vision.onnx}, {@code vision_model.onnx} or
     * {@code vision/model.onnx}), the text model ({@code clip_text.onnx}, {@code text_model.onnx} or
     * {@code text/model.onnx}) and {@code tokenizer.json}.
     */
    public static ClipSim open(Path dir) throws IOException {
        return open(find(dir, VISION_NAMES, "CLIP vision model"), find(dir, TEXT_NAMES, "CLIP text model"),
                find(dir, TOKENIZER_NAMES, "CLIP tokenizer"));
    }

    /** Opens the three files; failures name the file at fault. */
    public static ClipSim open(Path visionModel, Path textModel, Path tokenizerJson) throws IOException {
        HuggingFaceTokenizer tok = HfTokenizers.open(tokenizerJson);
        OnnxSession v = null;
        OnnxSession t = null;
        try {
            v = OnnxSession.open(visionModel);
            t = OnnxSession.open(textModel);
            return new ClipSim(tok, v, t);
        } catch (RuntimeException e) {
            closeAll(e, t, v, tok);
            throw e;
        }
    }

    private static Path find(Path dir, List<String> names, String what) throws IOException {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "no " + what + " (looked for " + String.join(", ", names) + ")");
    }

    /** The CLIPSIM of {@code video} against {@code prompt}. */
    public ClipScore score(Video video, String prompt) {
        INDArray t = textEmbeddings(List.of(prompt)); // [1,E], unit length
        INDArray img = imageEmbeddings(video.frames()); // [F,E], unit length
        if (img.size(1) != t.size(1)) {
            throw vision.error("image_embeds is " + img.size(1) + " wide but the text model gives " + t.size(1));
        }
        double[] cos = img.mmul(t.transpose()).castTo(DataType.DOUBLE).toDoubleVector(); // [F,E]·[E,1] -> [F]
        return ClipScore.of(cos);
    }

    /** Unit-length text embeddings {@code [N,E]}, one prompt per model call. */
    public INDArray textEmbeddings(List<String> prompts) {
        List<INDArray> rows = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            rows.add(textEmbedding(p));
        }
        return rows.size() == 1 ? rows.get(0) : Nd4j.concat(0, rows.toArray(INDArray[]::new));
    }

    private INDArray textEmbedding(String prompt) {
        List<String> prompts = List.of(prompt);
        int n = 1;
        long[] ids = new long[n * CONTEXT];
        long[] mask = new long[n * CONTEXT];
        for (int i = 0; i < n; i++) {
            long[] row = tokenIds(prompts.get(i));
            long pad = row[row.length - 1];
            Arrays.fill(ids, i * CONTEXT, (i + 1) * CONTEXT, pad);
            System.arraycopy(row, 0, ids, i * CONTEXT, row.length);
            Arrays.fill(mask, i * CONTEXT, i * CONTEXT + row.length, 1L);
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("input_ids", OnnxTensors.integers(text.env(), idsType, ids, n, CONTEXT));
            if (maskType != null) {
                feeds.put("attention_mask", OnnxTensors.integers(text.env(), maskType, mask, n, CONTEXT));
            }
            try (OrtSession.Result r = text.run(feeds, Set.of("text_embeds"))) {
                return unitRows(OnnxTensors.toArray(r.get(0)), n, text);
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The ids CLIP sees for {@code prompt}, with start- and end-of-text, cut to {@value #CONTEXT} keeping the
     * end-of-text token; not padded.
     */
    public long[] tokenIds(String prompt) {
        Encoding e = tokenizer.encode(prompt);
        long[] ids = e.getIds();
        if (ids.length == 0) {
            throw new IllegalStateException("the CLIP tokenizer produced no tokens for \"" + prompt + "\"");
        }
        if (ids.length > CONTEXT) {
            long last = ids[ids.length - 1];
            ids = Arrays.copyOf(ids, CONTEXT);
            ids[CONTEXT - 1] = last;
        }
        return ids;
    }

    /** Unit-length image embeddings {@code [N,E]} of the frames. */
    public INDArray imageEmbeddings(List<BufferedImage> frames) {
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < frames.size(); start += visionBatch) {
            int n = Math.min(visionBatch, frames.size() - start);
            List<BufferedImage> chunk = new ArrayList<>(frames.subList(start, start + n));
            while (fixedVisionBatch && chunk.size() < visionBatch) {
                chunk.add(chunk.get(0)); // a model with a fixed batch gets full batches; the extra rows are dropped
            }
            int fed = chunk.size();
            try (OnnxTensor px = OnnxTensors.floats(vision.env(), pixelValues(chunk), fed, 3, IMAGE_SIZE, IMAGE_SIZE);
                 OrtSession.Result r = vision.run(Map.of("pixel_values", px), Set.of("image_embeds"))) {
                INDArray e = unitRows(OnnxTensors.toArray(r.get(0)), fed, vision);
                parts.add(fed == n ? e : e.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup());
            }
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** CLIP's input for the frames: {@code [N,3,224,224]} row-major, by {@link ClipPreprocess#pixelValues}. */
    public static float[] pixelValues(List<BufferedImage> frames) {
        int image = 3 * IMAGE_SIZE * IMAGE_SIZE;
        float[] out = new float[frames.size() * image];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(ClipPreprocess.pixelValues(frames.get(i)), 0, out, i * image, image);
        }
        return out;
    }

    private static INDArray unitRows(INDArray e, int n, OnnxSession from) {
        if (e.rank() != 2 || e.size(0) != n) {
            throw from.error("output came out " + Arrays.toString(e.shape()) + ", expected [" + n + ",E]");
        }
        INDArray norms = e.norm2(1).reshape(n, 1); // [N] -> [N,1]
        if (norms.minNumber().doubleValue() == 0) {
            throw from.error("an embedding is all zeros; its cosine is undefined");
        }
        return e.divColumnVector(norms);
    }

    @Override
    public void close() {
        RuntimeException failure = new RuntimeException("closing the CLIP models");
        closeAll(failure, text, vision, tokenizer);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(Exception into, AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (Exception e) {
                into.addSuppressed(e);
            }
        }
    }
}
