package dev.t2v.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The default encoder: the real all-MiniLM-L6-v2 from the langchain4j jar on the test class path. */
class TextEncodersTest {
    @TempDir
    static Path cache;
    static OnnxTextEncoder miniLm;

    @BeforeAll
    static void open() throws IOException {
        miniLm = TextEncoders.defaultMiniLm(TextEncoders.MINILM_DEFAULT_MAX_TOKENS, cache);
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    @Test
    void miniLmEncodesABatchToPerToken384WideEmbeddings() {
        assertThat(miniLm.dim()).isEqualTo(384);
        assertThat(miniLm.maxTokens()).isEqualTo(32);
        assertThat(miniLm.style()).isEqualTo(OnnxTextEncoder.Style.BERT);
        TextEmbeddings e = miniLm.encode(List.of("a red circle moving to the right", "a dog", ""));
        // [CLS] a red circle moving to the right [SEP]
        assertThat(e.embeddings().shape()).containsExactly(3, 9, 384);
        assertThat(e.mask().sum(1).toFloatVector()).containsExactly(9, 4, 2);
        assertThat(e.embeddings().isNaN().any()).isFalse();
    }

    @Test
    void theEmptyPromptEncodesToAFixedNullCondition() {
        TextEmbeddings a = miniLm.encode(List.of(""));
        TextEmbeddings b = miniLm.encode(List.of(""));
        assertThat(a.embeddings().shape()).containsExactly(1, 2, 384);
        assertThat(a.embeddings()).isEqualTo(b.embeddings());
        assertThat(a.embeddings().norm2Number().doubleValue()).isGreaterThan(1);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        INDArray pooled = miniLm.encode(List.of(
                "a red ball rolls to the left",
                "a crimson sphere moves leftwards",
                "the stock market fell sharply on monday")).meanPooled();
        double paraphrase = cosine(pooled.getRow(0), pooled.getRow(1));
        double unrelated = cosine(pooled.getRow(0), pooled.getRow(2));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.2);
    }

    private static double cosine(INDArray a, INDArray b) {
        return Transforms.cosineSim(a, b);
    }

    @Test
    void longPromptsAreCutAtMaxTokensKeepingSep() {
        String prompt = String.join(" ", java.util.Collections.nCopies(40, "circle"));
        long[] ids = miniLm.tokenIds(List.of(prompt)).get(0);
        assertThat(ids).hasSize(32);
        assertThat(ids[0]).isEqualTo(101); // [CLS]
        assertThat(ids[31]).isEqualTo(102); // [SEP]
        assertThat(miniLm.encode(List.of(prompt)).length()).isEqualTo(32);
    }

    @Test
    void idNamesTheModelAndItsHashes() {
        assertThat(miniLm.id()).isEqualTo("all-MiniLM-L6-v2@" + TextEncoders.MINILM_MODEL_SHA256.substring(0, 12) + "-"
                + TextEncoders.MINILM_TOKENIZER_SHA256.substring(0, 8));
    }

    @Test
    void theCacheIsFilledOnceAndRepairedWhenAFileIsDamaged(@TempDir Path root) throws IOException {
        Path dir = root.resolve("models").resolve("all-minilm-l6-v2");
        try (OnnxTextEncoder enc = TextEncoders.defaultMiniLm(8, root)) {
            assertThat(enc.maxTokens()).isEqualTo(8);
        }
        Path model = dir.resolve("model.onnx");
        Path tokenizer = dir.resolve("tokenizer.json");
        assertThat(ModelFiles.sha256(model)).isEqualTo(TextEncoders.MINILM_MODEL_SHA256);
        java.nio.file.attribute.FileTime extracted = Files.getLastModifiedTime(model);

        Files.writeString(tokenizer, "{\"damaged\": true}");
        try (OnnxTextEncoder enc = TextEncoders.defaultMiniLm(8, root)) {
            assertThat(enc.encode(List.of("a cat")).length()).isEqualTo(4);
        }
        assertThat(ModelFiles.sha256(tokenizer)).isEqualTo(TextEncoders.MINILM_TOKENIZER_SHA256);
        assertThat(Files.getLastModifiedTime(model)).isEqualTo(extracted); // the intact file was not rewritten
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("model.onnx", "tokenizer.json"); // no temp files left behind
        }
    }

    @Test
    void maxTokensOutsideThePositionTableIsRejected() {
        assertThatThrownBy(() -> TextEncoders.defaultMiniLm(513, cache)).hasMessageContaining("[2, 512]");
        assertThatThrownBy(() -> TextEncoders.defaultMiniLm(1, cache)).hasMessageContaining("[2, 512]");
    }
}
