package dev.t2v.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, INDArray> everyDtype() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("f32", Nd4j.createFromArray(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE,
                -3.4e38f}).reshape(2, 3));
        m.put("f64", Nd4j.createFromArray(new double[] {Math.PI, -1e-300, Double.MAX_VALUE, 0.1}).reshape(1, 2, 2));
        m.put("f16", Nd4j.createFromArray(new float[] {1f, -2.5f, 65504f, 5.9604645e-8f, 0.099975586f, 0f})
                .castTo(DataType.HALF).reshape(3, 2));
        m.put("bf16", Nd4j.createFromArray(new float[] {1f, 3.140625f, -0.0010070801f}).castTo(DataType.BFLOAT16));
        m.put("i64", Nd4j.createFromArray(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
        m.put("i32", Nd4j.createFromArray(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}).reshape(3, 1));
        m.put("i16", Nd4j.createFromArray(new int[] {-32768, 12, 32767}).castTo(DataType.SHORT));
        m.put("i8", Nd4j.createFromArray(new int[] {-128, 0, 127}).castTo(DataType.BYTE));
        m.put("u8", Nd4j.createFromArray(new int[] {0, 128, 255}).castTo(DataType.UBYTE));
        m.put("bool", Nd4j.createFromArray(true, false, true));
        m.put("scalar", Nd4j.scalar(2.5f));
        m.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
        m.put("view", Nd4j.arange(24).castTo(DataType.FLOAT).reshape(4, 6).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        return m;
    }

    @Test
    void roundTripIsBitExactForEveryDtype() throws IOException {
        Path file = dir.resolve("all.safetensors");
        Map<String, INDArray> in = everyDtype();
        Safetensors.write(file, in, Map.of("format", "pt", "note", "ünïcode ✓"));
        Map<String, INDArray> out = Safetensors.read(file);
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(in.keySet());
        for (String name : in.keySet()) {
            INDArray a = in.get(name), b = out.get(name);
            assertThat(b.dataType()).as(name).isEqualTo(a.dataType());
            assertThat(b.shape()).as(name).containsExactly(a.shape());
            assertThat(bits(b)).as(name).isEqualTo(bits(a));
        }
        assertThat(Safetensors.readMetadata(file)).containsExactlyInAnyOrderEntriesOf(
                Map.of("format", "pt", "note", "ünïcode ✓"));
        assertThat(Safetensors.readShapes(file).get("f16")).containsExactly(3, 2);
    }

    @Test
    void bytesDependOnlyOnContentAndFollowThePublicLayout() throws IOException {
        Map<String, INDArray> forward = new LinkedHashMap<>();
        forward.put("b", Nd4j.createFromArray(1f, 2f));
        forward.put("a", Nd4j.createFromArray(new long[] {-1}));
        Map<String, INDArray> reversed = new TreeMap<>(forward);
        Path f1 = dir.resolve("1.safetensors"), f2 = dir.resolve("2.safetensors");
        Safetensors.write(f1, forward, Map.of("format", "pt"));
        Safetensors.write(f2, reversed, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(f1);
        assertThat(Files.readAllBytes(f2)).isEqualTo(bytes);

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 16).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put((json + " ".repeat(padded - json.length())).getBytes(StandardCharsets.UTF_8));
        expected.putLong(-1L).putFloat(1f).putFloat(2f);
        assertThat(bytes).isEqualTo(expected.array());
    }

    /** The layout Python's safetensors writes: metadata first, tensors by dtype size then name, space padding. */
    @Test
    void readsAFileLaidOutAsPythonWritesIt() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[20,28]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(8).putLong(h.length + pad).array());
        out.writeBytes(h);
        out.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(16).putFloat(1f).putFloat(2f).putFloat(3f).putFloat(4f).array());
        out.writeBytes(new byte[] {0x00, 0x3C, 0x00, (byte) 0xC1}); // F16 1.0, -2.5
        out.writeBytes(le(8).putLong(1234567890123L).array());
        Path file = dir.resolve("python.safetensors");
        Files.write(file, out.toByteArray());

        Map<String, INDArray> t = Safetensors.read(file);
        assertThat(t.get("weight").shape()).containsExactly(2, 2);
        assertThat(t.get("weight").toFloatMatrix()).isEqualTo(new float[][] {{1f, 2f}, {3f, 4f}});
        assertThat(t.get("bias").dataType()).isEqualTo(DataType.HALF);
        assertThat(t.get("bias").castTo(DataType.FLOAT).toFloatVector()).containsExactly(1f, -2.5f);
        assertThat(t.get("step").rank()).isZero();
        assertThat(t.get("step").getLong(0)).isEqualTo(1234567890123L);
        assertThat(Safetensors.readMetadata(file)).containsExactly(Map.entry("format", "pt"));
    }

    @Test
    void halfPrecisionConversionMatchesNumpy() {
        // (float, bits of numpy.float32(x).astype(numpy.float16)): round to nearest even, subnormals, overflow.
        Object[][] golden = {
                {0.0f, 0x0000}, {-0.0f, 0x8000}, {1.0f, 0x3C00}, {-2.5f, 0xC100}, {65504.0f, 0x7BFF},
                {65519.0f, 0x7BFF}, {65520.0f, 0x7C00}, {1e-8f, 0x0000}, {3e-8f, 0x0001},
                {2.9802322387695312e-08f, 0x0000}, {8.940696716308594e-08f, 0x0002}, {6.1e-5f, 0x03FF},
                {6.103515625e-05f, 0x0400}, {0.1f, 0x2E66}, {1f / 3, 0x3555}, {2049.0f, 0x6800}, {2051.0f, 0x6802},
                {1.00048828125f, 0x3C00}, {1.00146484375f, 0x3C02}, {-1e6f, 0xFC00}, {3.0517578125e-05f, 0x0200},
                {Float.POSITIVE_INFINITY, 0x7C00}};
        for (Object[] g : golden) {
            float f = (Float) g[0];
            assertThat(Safetensors.floatToHalf(f) & 0xFFFF).as("half(%s)", f).isEqualTo(g[1]);
        }
        assertThat(Float.isNaN(Safetensors.halfToFloat(Safetensors.floatToHalf(Float.NaN)))).isTrue();
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Safetensors.halfToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertThat(Safetensors.floatToHalf(f) & 0xFFFF).as("bits %04x", bits).isEqualTo(bits);
            }
        }
        // bfloat16, round to nearest even: 1 + 2^-8 is a tie to 1.0; 1 + 3*2^-8 a tie to 1 + 2^-6.
        assertThat(Safetensors.floatToBfloat16(1.00390625f) & 0xFFFF).isEqualTo(0x3F80);
        assertThat(Safetensors.floatToBfloat16(1.01171875f) & 0xFFFF).isEqualTo(0x3F82);
        assertThat(Safetensors.floatToBfloat16(3.14159265f) & 0xFFFF).isEqualTo(0x4049);
    }

    @Test
    void truncatedOrCorruptFilesFailNamingTheFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, Map.of("w", Nd4j.ones(DataType.FLOAT, 4, 4)));
        byte[] bytes = Files.readAllBytes(good);

        Path tiny = write("tiny.safetensors", Arrays.copyOf(bytes, 5));
        assertThatThrownBy(() -> Safetensors.read(tiny)).isInstanceOf(IOException.class)
                .hasMessageContaining(tiny.toString()).hasMessageContaining("shorter than the 8-byte header length");

        Path cut = write("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> Safetensors.read(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("truncated");

        Path cutHeader = write("cut-header.safetensors", Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> Safetensors.readMetadata(cutHeader)).isInstanceOf(IOException.class)
                .hasMessageContaining(cutHeader.toString()).hasMessageContaining("truncated");

        byte[] garbled = bytes.clone();
        garbled[8] = 'X';
        Path bad = write("bad.safetensors", garbled);
        assertThatThrownBy(() -> Safetensors.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("not valid JSON");

        Path png = write("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        assertThatThrownBy(() -> Safetensors.read(png)).isInstanceOf(IOException.class)
                .hasMessageContaining(png.toString()).hasMessageContaining("header length");

        Path wrongSize = write("size.safetensors", withHeader(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]));
        assertThatThrownBy(() -> Safetensors.read(wrongSize)).hasMessageContaining("'w'").hasMessageContaining("12 bytes");

        Path dtype = write("dtype.safetensors", withHeader(
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]));
        assertThatThrownBy(() -> Safetensors.read(dtype)).hasMessageContaining("'w'").hasMessageContaining("F8_E4M3");

        Path overlap = write("overlap.safetensors", withHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", new byte[3]));
        assertThatThrownBy(() -> Safetensors.read(overlap)).hasMessageContaining("'b'").hasMessageContaining("overlapping");
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAndNoTemporaries() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        Safetensors.write(file, Map.of("w", Nd4j.ones(DataType.FLOAT, 2)));
        byte[] before = Files.readAllBytes(file);
        Map<String, INDArray> bad = Map.of("w", Nd4j.ones(DataType.UINT16, 2));
        assertThatThrownBy(() -> Safetensors.write(file, bad)).hasMessageContaining("'w'").hasMessageContaining("UINT16");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.safetensors");
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] withHeader(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Raw bits of every element, so NaN payloads, -0 and infinities compare exactly. */
    private static long[] bits(INDArray a) {
        INDArray c = a.dup('c');
        if (c.isEmpty()) {
            return new long[0];
        }
        return switch (c.dataType()) {
            case DOUBLE -> Arrays.stream(c.data().asDouble()).mapToLong(Double::doubleToRawLongBits).toArray();
            case FLOAT, HALF, BFLOAT16 -> {
                float[] f = c.castTo(DataType.FLOAT).data().asFloat();
                long[] out = new long[f.length];
                for (int i = 0; i < f.length; i++) {
                    out[i] = Float.floatToRawIntBits(f[i]);
                }
                yield out;
            }
            default -> c.data().asLong();
        };
    }
}
