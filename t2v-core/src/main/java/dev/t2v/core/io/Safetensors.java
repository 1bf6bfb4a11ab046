package dev.t2v.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the public safetensors format, so Python users can read our weights and we can read theirs.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON (padded with spaces to a
 * multiple of 8), then the raw little-endian, C-order tensor bytes. The header maps each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data section) and may hold a
 * {@code "__metadata__"} map of strings.
 *
 * <p>Supported dtypes: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL. F16 and BF16 tensors read as ND4J HALF and
 * BFLOAT16 arrays; the 16-bit conversions are done here bit by bit (round to nearest even) so they are exact and do
 * not depend on the backend.
 */
public final class Safetensors {
    /** Key of the optional string map in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers beyond this are refused as corrupt rather than allocated (the reference reader uses 100 MB). */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final int ALIGNMENT = 8;

    private Safetensors() {
    }

    // ---------------------------------------------------------------- dtypes

    private enum Dtype {
        F64(DataType.DOUBLE, 8), F32(DataType.FLOAT, 4), F16(DataType.HALF, 2), BF16(DataType.BFLOAT16, 2),
        I64(DataType.LONG, 8), I32(DataType.INT, 4), I16(DataType.SHORT, 2), I8(DataType.BYTE, 1),
        U8(DataType.UBYTE, 1), BOOL(DataType.BOOL, 1);

        final DataType nd4j;
        final int bytes;

        Dtype(DataType nd4j, int bytes) {
            this.nd4j = nd4j;
            this.bytes = bytes;
        }

        static Dtype of(DataType type, String name) {
            for (Dtype d : values()) {
                if (d.nd4j == type) {
                    return d;
                }
            }
            throw new IllegalArgumentException("tensor '" + name + "' has dtype " + type
                    + ", which safetensors cannot store here; supported: " + Arrays.toString(values()));
        }
    }

    // ---------------------------------------------------------------- write

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, INDArray> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in name order, so the bytes depend only on the content) and the optional string
     * {@code metadata} to {@code file}, atomically: a temp file in the same directory is renamed over the target.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, INDArray> sorted = new TreeMap<>(tensors);
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        List<Dtype> dtypes = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : sorted.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' cannot be a tensor name");
            }
            INDArray arr = e.getValue();
            Dtype dtype = Dtype.of(arr.dataType(), name);
            dtypes.add(dtype);
            long bytes = arr.length() * dtype.bytes;
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (long s : arr.shape()) {
                shape.add(s);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        AtomicFiles.writeVia(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(headerBytes));
                int i = 0;
                for (INDArray arr : sorted.values()) {
                    writeFully(ch, encode(arr, dtypes.get(i++)));
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static ByteBuffer encode(INDArray arr, Dtype dtype) {
        long bytes = arr.length() * dtype.bytes;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes is too large (max 2 GiB per tensor)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (arr.isEmpty()) {
            return buf.flip();
        }
        // asX() copies the whole buffer, so views, f-order and oversized buffers are made compact first.
        INDArray c = arr.isView() || arr.ordering() != 'c' || arr.data().length() != arr.length() ? arr.dup('c') : arr;
        switch (dtype) {
            case F64 -> buf.asDoubleBuffer().put(c.data().asDouble());
            case F32 -> buf.asFloatBuffer().put(c.data().asFloat());
            case I64 -> buf.asLongBuffer().put(c.data().asLong());
            case I32 -> buf.asIntBuffer().put(c.data().asInt());
            case I16 -> {
                for (int v : c.data().asInt()) {
                    buf.putShort((short) v);
                }
            }
            case I8, U8 -> {
                for (int v : c.data().asInt()) {
                    buf.put((byte) v);
                }
            }
            case BOOL -> {
                for (int v : c.data().asInt()) {
                    buf.put((byte) (v != 0 ? 1 : 0));
                }
            }
            // HALF and BFLOAT16 values are exactly representable as float, so this round trip is lossless.
            case F16 -> {
                for (float v : c.castTo(DataType.FLOAT).data().asFloat()) {
                    buf.putShort(floatToHalf(v));
                }
            }
            case BF16 -> {
                for (float v : c.castTo(DataType.FLOAT).data().asFloat()) {
                    buf.putShort(floatToBfloat16(v));
                }
            }
        }
        return buf.position(0).limit((int) bytes);
    }

    // ---------------------------------------------------------------- read

    /** Reads all tensors, in the order of their data offsets (for files we wrote: name order). */
    public static Map<String, INDArray> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Entry e : h.entries) {
                out.put(e.name, readTensor(file, ch, h.dataStart, e));
            }
            return out;
        }
    }

    /** The {@code __metadata__} string map, empty when the file has none. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch).metadata;
        }
    }

    /** Tensor names and shapes without reading the data. */
    public static Map<String, long[]> readShapes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, long[]> out = new LinkedHashMap<>();
            for (Entry e : readHeader(file, ch).entries) {
                out.put(e.name, e.shape.clone());
            }
            return out;
        }
    }

    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
    }

    private record Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw corrupt(file, "file is " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long n = lenBuf.flip().getLong();
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw corrupt(file, "header length " + Long.toUnsignedString(n) + " is out of range (2.." + MAX_HEADER_BYTES
                    + "); is this a safetensors file?");
        }
        if (8 + n > size) {
            throw corrupt(file, "truncated: header needs " + n + " bytes but the file has " + (size - 8) + " after the length");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8);
        String json = new String(hb.array(), StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw corrupt(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!v.isObject()) {
                    throw corrupt(file, METADATA_KEY + " must be an object of strings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = v.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw corrupt(file, METADATA_KEY + " value for '" + kv.getKey() + "' is not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            entries.add(parseEntry(file, name, v, dataLen));
        }
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        long expected = 0;
        for (Entry e : entries) {
            // The reference implementation demands a contiguous, hole-free data section; so do we.
            if (e.begin != expected) {
                throw corrupt(file, "tensor '" + e.name + "' starts at byte " + e.begin + " of the data section, expected "
                        + expected + " (overlapping or gapped offsets)");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw corrupt(file, (expected > dataLen ? "truncated: " : "")
                    + "the header describes " + expected + " data bytes but the file holds " + dataLen);
        }
        return new Header(dataStart, entries, Collections.unmodifiableMap(metadata));
    }

    private static Entry parseEntry(Path file, String name, JsonNode v, long dataLen) throws IOException {
        if (!v.isObject() || !v.path("dtype").isTextual() || !v.path("shape").isArray()
                || !v.path("data_offsets").isArray() || v.path("data_offsets").size() != 2) {
            throw corrupt(file, "tensor '" + name + "' needs dtype, shape and data_offsets [begin, end]");
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(v.get("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "tensor '" + name + "' has unsupported dtype " + v.get("dtype").asText()
                    + "; supported: " + Arrays.toString(Dtype.values()));
        }
        JsonNode shapeNode = v.get("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = shapeNode.get(i);
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw corrupt(file, "tensor '" + name + "' has an invalid shape " + shapeNode);
            }
            shape[i] = s.asLong();
            count = Math.multiplyExact(count, shape[i]);
        }
        JsonNode offs = v.get("data_offsets");
        if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()) {
            throw corrupt(file, "tensor '" + name + "' has non-integer data_offsets " + offs);
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw corrupt(file, "tensor '" + name + "' has invalid data_offsets " + offs);
        }
        if (end - begin != count * dtype.bytes) {
            throw corrupt(file, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " " + dtype + " needs "
                    + count * dtype.bytes + " bytes but data_offsets " + offs + " span " + (end - begin));
        }
        if (end > dataLen) {
            throw corrupt(file, "truncated: tensor '" + name + "' ends at data byte " + end + " but the file holds "
                    + dataLen);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static INDArray readTensor(Path file, FileChannel ch, long dataStart, Entry e) throws IOException {
        long bytes = e.end - e.begin;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw corrupt(file, "tensor '" + e.name + "' is " + bytes + " bytes; at most 2 GiB per tensor is supported");
        }
        long[] shape = e.shape;
        if (bytes == 0) {
            return Nd4j.create(e.dtype.nd4j, shape);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, buf, dataStart + e.begin);
        buf.flip();
        int n = (int) (bytes / e.dtype.bytes);
        INDArray arr = switch (e.dtype) {
            case F64 -> {
                double[] d = new double[n];
                buf.asDoubleBuffer().get(d);
                yield Nd4j.create(d, shape, DataType.DOUBLE);
            }
            case F32 -> {
                float[] d = new float[n];
                buf.asFloatBuffer().get(d);
                yield Nd4j.create(d, shape, DataType.FLOAT);
            }
            case I64 -> {
                long[] d = new long[n];
                buf.asLongBuffer().get(d);
                yield Nd4j.create(d, shape, DataType.LONG);
            }
            case I32 -> {
                int[] d = new int[n];
                buf.asIntBuffer().get(d);
                yield Nd4j.create(d, shape, DataType.INT);
            }
            case I16 -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) {
                    d[i] = buf.getShort();
                }
                yield Nd4j.create(d, shape, DataType.INT).castTo(DataType.SHORT);
            }
            case I8 -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) {
                    d[i] = buf.get();
                }
                yield Nd4j.create(d, shape, DataType.INT).castTo(DataType.BYTE);
            }
            case U8 -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) {
                    d[i] = buf.get() & 0xFF;
                }
                yield Nd4j.create(d, shape, DataType.INT).castTo(DataType.UBYTE);
            }
            case BOOL -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i++) {
                    d[i] = buf.get() != 0 ? 1 : 0;
                }
                yield Nd4j.create(d, shape, DataType.INT).castTo(DataType.BOOL);
            }
            case F16 -> {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = halfToFloat(buf.getShort());
                }
                yield Nd4j.create(d, shape, DataType.FLOAT).castTo(DataType.HALF);
            }
            case BF16 -> {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
                }
                yield Nd4j.create(d, shape, DataType.FLOAT).castTo(DataType.BFLOAT16);
            }
        };
        return arr;
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new EOFException(file + ": truncated safetensors file (unexpected end at byte " + pos + ")");
            }
            pos += r;
        }
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException(file + ": not a valid safetensors file: " + why);
    }

    // ---------------------------------------------------------------- 16-bit floats

    /** IEEE 754 binary16 bits to float, exact (Java 17 has no {@code Float.float16ToFloat}). */
    public static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero): mant × 2^-24, exact in float
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Float to IEEE 754 binary16 bits, rounding to nearest even; overflow gives infinity, NaN stays NaN. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            int m = mant | 0x800000; // implicit leading one
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, up to infinity, which is the right answer
        }
        return (short) (sign | half);
    }

    /** Float to bfloat16 bits (the top 16 bits), rounding to nearest even; NaN stays NaN. */
    static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
