package dev.t2v.train.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.io.Safetensors;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A shard file, memory-mapped: clips' latents and captions' embeddings are copied straight out of the page cache, so
 * a dataset larger than the heap trains without an eviction policy. Reads use absolute gets only, so one instance
 * serves concurrent batches.
 */
final class MappedShard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    final Path file;
    final int clips;
    final int floatsPerClip;
    final int dim;
    private final long[] textOffsets;
    private final FloatBuffer latents;
    private final ShortBuffer text;
    private final List<String> captions;

    private MappedShard(Path file, int clips, int floatsPerClip, int dim, long[] textOffsets, FloatBuffer latents,
            ShortBuffer text, List<String> captions) {
        this.file = file;
        this.clips = clips;
        this.floatsPerClip = floatsPerClip;
        this.dim = dim;
        this.textOffsets = textOffsets;
        this.latents = latents;
        this.text = text;
        this.captions = captions;
    }

    /** Maps {@code file} and checks its tensors against the dataset's geometry. */
    static MappedShard open(Path file, DatasetInfo info) throws IOException {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
        long size = map.capacity();
        if (size < 8) {
            throw corrupt(file, "file is " + size + " bytes");
        }
        long n = map.getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES || 8 + n > size) {
            throw corrupt(file, "header length " + n + " does not fit a " + size + "-byte file");
        }
        byte[] headerBytes = new byte[(int) n];
        map.get(8, headerBytes);
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw corrupt(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw corrupt(file, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        int f = info.frames();
        int c = info.latentChannels();
        int h = info.latentSize();
        Tensor lat = Tensor.of(file, header, DatasetFiles.LATENTS, "F32", 4, dataLen);
        Tensor txt = Tensor.of(file, header, DatasetFiles.TEXT, "F16", 2, dataLen);
        Tensor off = Tensor.of(file, header, DatasetFiles.TEXT_OFFSETS, "I64", 8, dataLen);
        if (lat.shape.length != 5 || lat.shape[1] != f || lat.shape[2] != c || lat.shape[3] != h || lat.shape[4] != h) {
            throw corrupt(file, "latents are " + Arrays.toString(lat.shape) + ", dataset.json says [K," + f + "," + c
                    + "," + h + "," + h + "]");
        }
        if (txt.shape.length != 2 || txt.shape[1] != info.textDim()) {
            throw corrupt(file, "text is " + Arrays.toString(txt.shape) + ", dataset.json says [T," + info.textDim()
                    + "]");
        }
        if (off.shape.length != 1 || off.shape[0] < 1) {
            throw corrupt(file, "text_offsets is " + Arrays.toString(off.shape) + ", expected [captions + 1]");
        }
        long[] offsets = new long[(int) off.shape[0]];
        map.slice((int) (dataStart + off.begin), (int) (off.end - off.begin)).order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer().get(offsets);
        for (int i = 0; i < offsets.length; i++) {
            long prev = i == 0 ? 0 : offsets[i - 1];
            if ((i == 0 && offsets[0] != 0) || offsets[i] < prev || offsets[i] > txt.shape[0]) {
                throw corrupt(file, "text_offsets must rise from 0 to " + txt.shape[0] + ", got " + offsets[i]
                        + " at " + i);
            }
        }
        if (offsets[offsets.length - 1] != txt.shape[0]) {
            throw corrupt(file, "text_offsets end at " + offsets[offsets.length - 1] + " but text has " + txt.shape[0]
                    + " rows");
        }
        FloatBuffer latents = slice(map, dataStart, lat).asFloatBuffer();
        ShortBuffer text = slice(map, dataStart, txt).asShortBuffer();
        List<String> captions = captions(file, header, offsets.length - 1);
        return new MappedShard(file, (int) lat.shape[0], f * c * h * h, info.textDim(), offsets, latents, text,
                captions);
    }

    private static ByteBuffer slice(MappedByteBuffer map, long dataStart, Tensor t) {
        return map.slice((int) (dataStart + t.begin), (int) (t.end - t.begin)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static List<String> captions(Path file, JsonNode header, int count) throws IOException {
        JsonNode meta = header.get("__metadata__");
        JsonNode text = meta == null ? null : meta.get(DatasetFiles.META_CAPTIONS);
        if (text == null) {
            return null;
        }
        JsonNode list;
        try {
            list = JSON.readTree(text.asText());
        } catch (JsonProcessingException e) {
            throw corrupt(file, "metadata captions is not a JSON array");
        }
        if (list == null || !list.isArray() || list.size() != count) {
            throw corrupt(file, "metadata captions must list " + count + " captions");
        }
        List<String> out = new ArrayList<>(count);
        list.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** The number of caption rows in {@code text_offsets}. */
    int captionCount() {
        return textOffsets.length - 1;
    }

    /** Token count of caption row {@code row}. */
    int tokens(int row) {
        return (int) (textOffsets[row + 1] - textOffsets[row]);
    }

    /** Copies clip {@code clip}'s latents ({@link #floatsPerClip} floats) to {@code dst[off...]}. */
    void copyLatents(int clip, float[] dst, int off) {
        latents.get(clip * floatsPerClip, dst, off, floatsPerClip);
    }

    /** Copies the first {@code maxTokens} token rows of caption {@code row} to {@code dst[off...]} as floats. */
    int copyText(int row, int maxTokens, float[] dst, int off, short[] scratch) {
        int n = Math.min(tokens(row), maxTokens);
        int count = n * dim;
        text.get((int) (textOffsets[row] * dim), scratch, 0, count);
        for (int i = 0; i < count; i++) {
            dst[off + i] = Safetensors.halfToFloat(scratch[i]);
        }
        return n;
    }

    /** The caption strings of the rows, or {@code null} when the shard does not carry them. */
    String caption(int row) {
        return captions == null ? null : captions.get(row);
    }

    private record Tensor(long[] shape, long begin, long end) {
        static Tensor of(Path file, JsonNode header, String name, String dtype, int bytes, long dataLen)
                throws IOException {
            JsonNode t = header.get(name);
            if (t == null || !t.isObject()) {
                throw corrupt(file, "no tensor '" + name + "'");
            }
            if (!dtype.equals(t.path("dtype").asText())) {
                throw corrupt(file, "tensor '" + name + "' is " + t.path("dtype").asText() + ", expected " + dtype);
            }
            JsonNode shapeNode = t.path("shape");
            JsonNode offs = t.path("data_offsets");
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                throw corrupt(file, "tensor '" + name + "' needs shape and data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw corrupt(file, "tensor '" + name + "' has shape " + shapeNode);
                }
                count *= shape[i];
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            if (begin < 0 || end - begin != count * bytes || end > dataLen || end > Integer.MAX_VALUE) {
                throw corrupt(file, "tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " has data_offsets " + offs + " that do not fit (truncated?)");
            }
            return new Tensor(shape, begin, end);
        }
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException(file + ": not a valid t2v shard: " + why);
    }
}
