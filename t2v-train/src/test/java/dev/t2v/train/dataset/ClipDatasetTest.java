package dev.t2v.train.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.io.Safetensors;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.data.preprocess.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ClipDatasetTest {
    private static final Set<String> ALL = Set.of("train", "validate", "test");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path dir;
    static ClipDataset all;

    @BeforeAll
    static void preprocess() throws IOException {
        Path data = PreprocessFixtures.syntheticSet(shared.resolve("data"), 10);
        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(shared.resolve("models"));
        dir = shared.resolve("pre");
        try (OnnxTextEncoder text = models.openText(); OnnxVae codec = models.openCodec()) {
            PreprocessConfig cfg = PreprocessConfig.defaults(data, dir).withClip(8, 8, 32, 2).withVideosPerShard(4);
            new Preprocessor(cfg, text, codec, PreprocessFixtures.FIXED_CLOCK, null).run();
        }
        all = ClipDataset.open(dir, ALL);
    }

    @AfterAll
    static void close() {
        all.close();
    }

    @Test
    void sizesAndInfoComeFromTheManifestAndDatasetJson() {
        assertThat(all.size()).isEqualTo(20);
        assertThat(all.info().frames()).isEqualTo(8);
        assertThat(all.info().latentChannels()).isEqualTo(4);
        assertThat(all.info().latentSize()).isEqualTo(4);
        assertThat(all.info().textDim()).isEqualTo(24);
        assertThat(all.info().maxTokens()).isEqualTo(16);
        assertThat(all.info().fps()).isEqualTo(8.0);
        assertThat(all.info().size()).isEqualTo(32);
        assertThat(all.batchesPerEpoch(3)).isEqualTo(6); // 20 clips: drop_last
        assertThat(all.batchesPerEpoch(20)).isEqualTo(1);
        assertThat(all.batchesPerEpoch(21)).isZero();
        assertThat(all.captions(0)).hasSize(20);
    }

    @Test
    void batchesHaveTheTrainerShapes() {
        TrainingBatch b = all.batch(1, 0, 0, 4, 12);
        assertThat(b.latents().shape()).containsExactly(4, 8, 4, 4, 4);
        assertThat(b.text().shape()).containsExactly(4, 12, 24);
        assertThat(b.textMask().shape()).containsExactly(4, 12);
        assertThat(b.latents().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(b.clipIds()).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void aBatchHoldsTheShardsLatentsAndTheChosenCaptionPaddedWithItsMask() throws IOException {
        TrainingBatch b = all.batch(9, 3, 1, 4, 16);
        for (int i = 0; i < b.size(); i++) {
            int clip = indexOf(b.clipIds().get(i));
            ManifestEntry e = all.entries().get(clip);
            Map<String, INDArray> shard = Safetensors.read(dir.resolve(e.shard()));
            INDArray latents = shard.get("latents").get(NDArrayIndex.point(e.index()));
            assertThat(b.latents().get(NDArrayIndex.point(i)).equalsWithEps(latents, 0)).isTrue();

            long[] offsets = shard.get("text_offsets").toLongVector();
            INDArray text = shard.get("text").castTo(DataType.FLOAT);
            INDArray row = b.text().get(NDArrayIndex.point(i));
            int tokens = (int) b.textMask().getRow(i).sumNumber().intValue();
            assertThat(b.textMask().getRow(i).toFloatVector()).startsWith(ones(tokens));
            // The caption is one of the clip's and its tokens are copied exactly; padding rows are zero.
            boolean found = false;
            for (int c = e.captionFirst(); c < e.captionFirst() + e.captionCount(); c++) {
                long n = offsets[c + 1] - offsets[c];
                if (n == tokens && row.get(NDArrayIndex.interval(0, tokens), NDArrayIndex.all())
                        .equalsWithEps(text.get(NDArrayIndex.interval(offsets[c], offsets[c + 1]), NDArrayIndex.all()), 0)) {
                    found = true;
                }
            }
            assertThat(found).as("clip %s text is one of its captions", e.clipId()).isTrue();
            if (tokens < 16) {
                assertThat(row.get(NDArrayIndex.interval(tokens, 16), NDArrayIndex.all()).amaxNumber().doubleValue())
                        .isZero();
            }
        }
    }

    @Test
    void textLongerThanTextTokensIsCutAndTheMaskIsAllOnes() {
        TrainingBatch b = all.batch(9, 3, 1, 4, 3);
        assertThat(b.text().shape()).containsExactly(4, 3, 24);
        assertThat(b.textMask().sumNumber().intValue()).isEqualTo(12);
        TrainingBatch wide = all.batch(9, 3, 1, 4, 16);
        assertThat(b.text().equalsWithEps(wide.text().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3),
                NDArrayIndex.all()), 0)).isTrue();
    }

    @Test
    void theSameSeedEpochAndPositionGiveTheSameBatchEvenFromANewInstance() throws IOException {
        TrainingBatch a = all.batch(42, 5, 2, 4, 16);
        try (ClipDataset again = ClipDataset.open(dir, ALL)) {
            TrainingBatch b = again.batch(42, 5, 2, 4, 16);
            assertThat(b.clipIds()).isEqualTo(a.clipIds());
            assertThat(b.latents().equalsWithEps(a.latents(), 0)).isTrue();
            assertThat(b.text().equalsWithEps(a.text(), 0)).isTrue();
            assertThat(b.textMask().equalsWithEps(a.textMask(), 0)).isTrue();
        }
        all.batch(42, 6, 0, 4, 16); // another epoch in between must not disturb the cached order
        assertThat(all.batch(42, 5, 2, 4, 16).clipIds()).isEqualTo(a.clipIds());
    }

    @Test
    void anEpochVisitsDistinctClipsAndEpochsShuffleDifferently() {
        List<String> epoch0 = epochOrder(7, 0, 4);
        List<String> epoch1 = epochOrder(7, 1, 4);
        assertThat(epoch0).hasSize(20).doesNotHaveDuplicates();
        assertThat(epoch1).hasSize(20).doesNotHaveDuplicates();
        assertThat(epoch1).isNotEqualTo(epoch0);
        assertThat(epochOrder(8, 0, 4)).isNotEqualTo(epoch0);
    }

    private List<String> epochOrder(long seed, long epoch, int batch) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < all.batchesPerEpoch(batch); p++) {
            out.addAll(all.batch(seed, epoch, p, batch, 4).clipIds());
        }
        return out;
    }

    @Test
    void theCaptionOfAClipVariesWithTheEpoch() {
        Set<String> texts = new HashSet<>();
        for (int epoch = 0; epoch < 12; epoch++) {
            TrainingBatch b = all.clips(new int[] {5}, 3, epoch, 16);
            texts.add(java.util.Arrays.toString(b.text().data().asFloat()));
        }
        assertThat(texts.size()).isGreaterThan(4);
    }

    @Test
    void splitsSelectTheirClipsOnly() throws IOException {
        int total = 0;
        for (String split : ALL) {
            try (ClipDataset one = ClipDataset.open(dir, Set.of(split))) {
                assertThat(one.entries()).allMatch(e -> e.split().equals(split));
                total += one.size();
                assertThat(one.manifestSha256()).isEqualTo(all.manifestSha256());
            }
        }
        assertThat(total).isEqualTo(all.size());
        try (ClipDataset train = ClipDataset.open(dir, Set.of("train"))) {
            assertThat(train.size()).isPositive();
            assertThat(train.splits()).containsExactly("train");
        }
    }

    @Test
    void manifestShaIsTheFilesHash() throws IOException, NoSuchAlgorithmException {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("manifest.jsonl"))));
        assertThat(all.manifestSha256()).isEqualTo(sha);
    }

    @Test
    void nullTextIsTheEmptyPromptAndPadsToAnyLength() {
        NullTextEmbedding nt = all.nullText();
        assertThat(nt.embedding().shape()).containsExactly(2, 24);
        assertThat(nt.mask().toFloatVector()).containsExactly(1f, 1f);
        NullTextEmbedding padded = nt.padded(5);
        assertThat(padded.embedding().shape()).containsExactly(5, 24);
        assertThat(padded.mask().toFloatVector()).containsExactly(1f, 1f, 0f, 0f, 0f);
        assertThat(padded.embedding().get(NDArrayIndex.interval(0, 2), NDArrayIndex.all())
                .equalsWithEps(nt.embedding(), 0)).isTrue();
        assertThat(nt.padded(1).mask().toFloatVector()).containsExactly(1f);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> all.batch(1, 0, 5, 4, 16)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("outside the epoch's 5 batches");
        assertThatThrownBy(() -> all.batch(1, 0, 0, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> all.batch(1, 0, 0, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> all.clips(new int[] {20}, 1, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ClipDataset.open(dir, Set.of("training"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown split 'training'");
        assertThatThrownBy(() -> ClipDataset.open(dir, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDirectoryThatIsNotPreprocessedIsAClearError() {
        assertThatThrownBy(() -> ClipDataset.open(tmp, ALL)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("dataset.json").hasMessageContaining("t2v preprocess");
    }

    @Test
    void aTruncatedShardFailsAtOpenNamingTheFile() throws IOException {
        Path copy = tmp.resolve("copy");
        for (String f : List.of("dataset.json", "manifest.jsonl", "null_text.safetensors")) {
            Files.createDirectories(copy);
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        Files.createDirectories(copy.resolve("shards"));
        for (int s = 0; s < 3; s++) {
            Path src = DatasetFiles.shardTensors(dir, s);
            byte[] bytes = Files.readAllBytes(src);
            Files.write(DatasetFiles.shardTensors(copy, s), s == 1 ? java.util.Arrays.copyOf(bytes, bytes.length - 100)
                    : bytes);
        }
        assertThatThrownBy(() -> ClipDataset.open(copy, ALL)).isInstanceOf(IOException.class)
                .hasMessageContaining("shard-00001.safetensors").hasMessageContaining("truncated");
    }

    private static int indexOf(String clipId) {
        for (int i = 0; i < all.size(); i++) {
            if (all.entries().get(i).clipId().equals(clipId)) {
                return i;
            }
        }
        throw new AssertionError(clipId);
    }

    private static float[] ones(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        return f;
    }
}
