package dev.t2v.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.fixtures.OnnxFixtures.ClipTextSpec;
import dev.t2v.data.fixtures.OnnxFixtures.TextModelFiles;
import dev.t2v.data.fixtures.TokenizerFixtures;
import dev.t2v.core.onnx.ElementType;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.core.onnx.OnnxModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class OnnxTextEncoderTest {
    private static final String LONG_PROMPT = String.join(" ", java.util.Collections.nCopies(60, "red circle"));

    @TempDir
    static Path dir;
    static TextModelFiles clip;
    static TextModelFiles bert;

    @BeforeAll
    static void writeFixtures() throws IOException {
        clip = OnnxFixtures.writeTinyClipText(dir.resolve("clip"));
        bert = OnnxFixtures.writeTinyBert(dir.resolve("bert"));
    }

    /**
     * A CLIP-signature model whose last_hidden_state is its input ids as floats, [B,T] -> [B,T,1]: it shows exactly
     * what the encoder feeds.
     */
    private static Path echoModel(Path file, Object batch, Object sequence) throws IOException {
        OnnxModelWriter w = OnnxModelWriter.create("echo");
        String ids = w.input("input_ids", ElementType.INT64, batch, sequence);
        w.output(w.op("Cast", w.unsqueeze(ids, 2)).attr("to", ElementType.FLOAT.code()).out("last_hidden_state"),
                ElementType.FLOAT, batch, sequence, 1);
        return w.write(file);
    }

    private static float[] row(INDArray a, int b) {
        return a.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.point(0)).toFloatVector();
    }

    @Test
    void clipPromptsArePaddedTo77WithEndOfTextAndMaskedAfterIt() throws IOException {
        Path model = echoModel(dir.resolve("echo.onnx"), "batch", "sequence");
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(clip.tokenizer(), model)) {
            assertThat(enc.style()).isEqualTo(OnnxTextEncoder.Style.CLIP);
            assertThat(enc.maxTokens()).isEqualTo(77);
            assertThat(enc.padId()).isEqualTo(TokenizerFixtures.CLIP_EOS);
            TextEmbeddings e = enc.encode(List.of("a red circle", ""));

            assertThat(e.embeddings().shape()).containsExactly(2, 77, 1);
            float[] ids = row(e.embeddings(), 0);
            long[] tokens = enc.tokenIds(List.of("a red circle")).get(0);
            assertThat(tokens).hasSize(5); // <|startoftext|> a red circle <|endoftext|>: the fixture knows the words
            assertThat(tokens[0]).isEqualTo(TokenizerFixtures.CLIP_BOS);
            for (int t = 0; t < 77; t++) {
                assertThat((long) ids[t]).isEqualTo(t < tokens.length ? tokens[t] : TokenizerFixtures.CLIP_EOS);
                assertThat(e.mask().getFloat(0, t)).isEqualTo(t < tokens.length ? 1f : 0f);
            }
            assertThat((long) row(e.embeddings(), 1)[0]).isEqualTo(TokenizerFixtures.CLIP_BOS);
            assertThat(e.mask().getRow(1).sumNumber().intValue()).isEqualTo(2); // "" is <|startoftext|><|endoftext|>
        }
    }

    @Test
    void clipTruncationKeepsTheEndOfTextToken() throws IOException {
        Path model = echoModel(dir.resolve("echo-trunc.onnx"), "batch", "sequence");
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(clip.tokenizer(), model)) {
            long[] tokens = enc.tokenIds(List.of(LONG_PROMPT)).get(0);
            assertThat(tokens).hasSize(77);
            assertThat(tokens[0]).isEqualTo(TokenizerFixtures.CLIP_BOS);
            assertThat(tokens[76]).isEqualTo(TokenizerFixtures.CLIP_EOS);
            assertThat(tokens[75]).isNotEqualTo(TokenizerFixtures.CLIP_EOS);
            TextEmbeddings e = enc.encode(List.of(LONG_PROMPT));
            assertThat(e.mask().sumNumber().intValue()).isEqualTo(77);
        }
    }

    @Test
    void aModelWithAFixedBatchSizeIsFedFullBatches() throws IOException {
        Path model = echoModel(dir.resolve("echo-b2.onnx"), 2, 77); // 3 prompts: a full batch, then one topped up
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(clip.tokenizer(), model)) {
            List<String> prompts = List.of("a red circle", "the blue square moving left", "dog");
            TextEmbeddings e = enc.encode(prompts);
            assertThat(e.embeddings().shape()).containsExactly(3, 77, 1);
            List<long[]> tokens = enc.tokenIds(prompts);
            for (int b = 0; b < 3; b++) {
                float[] ids = row(e.embeddings(), b);
                for (int t = 0; t < tokens.get(b).length; t++) {
                    assertThat((long) ids[t]).isEqualTo(tokens.get(b)[t]);
                }
            }
        }
    }

    @Test
    void tinyClipGivesDeterministicPromptDependentEmbeddings() throws IOException {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(clip.tokenizer(), clip.model())) {
            assertThat(enc.dim()).isEqualTo(clip.dim());
            TextEmbeddings a = enc.encode(List.of("a red circle moving left", "a blue square moving up", ""));
            TextEmbeddings b = enc.encode(List.of("a red circle moving left", "a blue square moving up", ""));
            assertThat(a.embeddings().shape()).containsExactly(3, 77, clip.dim());
            assertThat(a.embeddings()).isEqualTo(b.embeddings());
            assertThat(a.embeddings().isNaN().any() || a.embeddings().isInfinite().any()).isFalse();
            INDArray first = a.embeddings().get(NDArrayIndex.point(0));
            INDArray second = a.embeddings().get(NDArrayIndex.point(1));
            assertThat(first.distance2(second)).isGreaterThan(1.0);
            // Causal attention: positions 0 and 1 (<|startoftext|> a) have the same prefix in both prompts, so they
            // match; from position 2 (red / blue) on they differ.
            assertThat(first.getRow(1).distance2(second.getRow(1))).isLessThan(1e-5);
            assertThat(first.getRow(2).distance2(second.getRow(2))).isGreaterThan(0.1);
        }
    }

    @Test
    void clipVariantsWithAttentionMaskAndInt32IdsEncode() throws IOException {
        TextModelFiles masked = OnnxFixtures.writeTinyClipText(dir.resolve("clip-masked"),
                new ClipTextSpec(16, true, ElementType.INT32, false, 5));
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(masked.tokenizer(), masked.model())) {
            assertThat(enc.style()).isEqualTo(OnnxTextEncoder.Style.CLIP);
            TextEmbeddings e = enc.encode(List.of("green triangle", ""));
            assertThat(e.embeddings().shape()).containsExactly(2, 77, 16);
            assertThat(e.mask().getRow(0).sumNumber().intValue())
                    .isEqualTo(enc.tokenIds(List.of("green triangle")).get(0).length);
        }
    }

    @Test
    void aFixedSequenceLengthBecomesMaxTokensAndCannotBeOverridden() throws IOException {
        TextModelFiles fixed = OnnxFixtures.writeTinyClipText(dir.resolve("clip-fixed"),
                new ClipTextSpec(8, false, ElementType.INT64, true, 6));
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(fixed.tokenizer(), fixed.model())) {
            assertThat(enc.maxTokens()).isEqualTo(77);
            assertThat(enc.encode(List.of("up")).embeddings().shape()).containsExactly(1, 77, 8);
        }
        assertThatThrownBy(() -> OnnxTextEncoder.open(fixed.tokenizer(), fixed.model(),
                OnnxTextEncoder.Options.defaults().withMaxTokens(32)))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageContaining(fixed.model().toString())
                .hasMessageContaining("fixes the sequence length at 77");
    }

    @Test
    void bertStyleIsDetectedAndPadsToTheLongestPromptNotTheTokenizersFixedLength() throws IOException {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model())) {
            assertThat(enc.style()).isEqualTo(OnnxTextEncoder.Style.BERT);
            assertThat(enc.maxTokens()).isEqualTo(TokenizerFixtures.BERT_TOKENIZER_MAX_LENGTH);
            assertThat(enc.dim()).isEqualTo(bert.dim());
            TextEmbeddings e = enc.encode(List.of("red", "a red circle moving left", ""));
            // [CLS] a red circle moving left [SEP]
            assertThat(e.embeddings().shape()).containsExactly(3, 7, bert.dim());
            assertThat(e.mask().toFloatMatrix()).isDeepEqualTo(new float[][] {
                    {1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}, {1, 1, 0, 0, 0, 0, 0}});
            assertThat(enc.tokenIds(List.of("red")).get(0)).containsExactly(TokenizerFixtures.BERT_CLS,
                    idOf(enc, "red"), TokenizerFixtures.BERT_SEP);
        }
    }

    private static long idOf(OnnxTextEncoder enc, String word) {
        return enc.tokenIds(List.of(word)).get(0)[1];
    }

    @Test
    void bertPaddingLeavesRealTokenEmbeddingsUnchanged() throws IOException {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model())) {
            TextEmbeddings alone = enc.encode(List.of("red"));
            TextEmbeddings batched = enc.encode(List.of("red", "a red circle moving left quickly"));
            INDArray a = alone.embeddings().get(NDArrayIndex.point(0));
            INDArray b = batched.embeddings().get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 3), NDArrayIndex.all());
            assertThat(a.equalsWithEps(b, 1e-5)).isTrue();
        }
        try (OnnxTextEncoder padded = OnnxTextEncoder.open(bert.tokenizer(), bert.model(),
                OnnxTextEncoder.Options.defaults().withPadToMaxTokens(true))) {
            assertThat(padded.encode(List.of("red")).embeddings().shape()).containsExactly(1, 16, bert.dim());
        }
    }

    @Test
    void bertTruncationKeepsSep() throws IOException {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model(),
                OnnxTextEncoder.Options.defaults().withMaxTokens(6))) {
            long[] ids = enc.tokenIds(List.of("a red circle moving left quickly")).get(0);
            assertThat(ids).hasSize(6);
            assertThat(ids[0]).isEqualTo(TokenizerFixtures.BERT_CLS);
            assertThat(ids[5]).isEqualTo(TokenizerFixtures.BERT_SEP);
            assertThat(enc.encode(List.of("a red circle moving left quickly")).length()).isEqualTo(6);
        }
    }

    @Test
    void idIsStableForTheSameFilesAndChangesWithTheModel() throws IOException {
        String first;
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model())) {
            first = enc.id();
        }
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model(),
                OnnxTextEncoder.Options.defaults().withLabel("tiny-bert"))) {
            assertThat(enc.id()).startsWith("tiny-bert@").endsWith(first.substring(first.indexOf('@') + 1));
        }
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(clip.tokenizer(), clip.model())) {
            assertThat(enc.id()).isNotEqualTo(first);
        }
        assertThat(first).matches("onnx-text@[0-9a-f]{12}-[0-9a-f]{8}");
    }

    @Test
    void emptyOrNullPromptListsAreRejected() throws IOException {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(bert.tokenizer(), bert.model())) {
            assertThatThrownBy(() -> enc.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> enc.encode(Arrays.asList("ok", null))).hasMessageContaining("prompt 1 is null");
        }
    }

    // ---------------------------------------------------------------- load-time contract checks

    private static Path textModel(String name, String inputName, ElementType idType, int rank, ElementType outType,
            String outName) throws IOException {
        OnnxModelWriter w = OnnxModelWriter.create(name);
        Object[] dims = rank == 2 ? new Object[] {"batch", "sequence"} : new Object[] {"batch", "sequence", 1};
        String ids = w.input(inputName, idType, dims);
        String f = w.cast(ids, ElementType.FLOAT);
        String out = rank == 2 ? w.unsqueeze(f, 2) : f;
        out = outType == ElementType.FLOAT ? out : w.cast(out, outType);
        w.output(w.rename(out, outName), outType, "batch", "sequence", 1);
        return w.write(dir.resolve("contracts").resolve(name + ".onnx"));
    }

    @Test
    void modelsWithWrongNamesTypesOrRanksAreRejectedNamingTheFile() throws IOException {
        Path wrongName = textModel("wrong-name", "ids", ElementType.INT64, 2, ElementType.FLOAT, "last_hidden_state");
        assertThatThrownBy(() -> OnnxTextEncoder.open(clip.tokenizer(), wrongName))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageStartingWith(wrongName.toString())
                .hasMessageContaining("unexpected input 'ids'");

        Path wrongRank = textModel("wrong-rank", "input_ids", ElementType.INT64, 3, ElementType.FLOAT,
                "last_hidden_state");
        assertThatThrownBy(() -> OnnxTextEncoder.open(clip.tokenizer(), wrongRank))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageStartingWith(wrongRank.toString())
                .hasMessageContaining("input 'input_ids' has rank 3");

        Path floatIds = textModel("float-ids", "input_ids", ElementType.FLOAT, 2, ElementType.FLOAT,
                "last_hidden_state");
        assertThatThrownBy(() -> OnnxTextEncoder.open(clip.tokenizer(), floatIds))
                .hasMessageStartingWith(floatIds.toString()).hasMessageContaining("element type FLOAT");

        Path intOut = textModel("int-out", "input_ids", ElementType.INT64, 2, ElementType.INT64, "last_hidden_state");
        assertThatThrownBy(() -> OnnxTextEncoder.open(clip.tokenizer(), intOut))
                .hasMessageStartingWith(intOut.toString()).hasMessageContaining("output 'last_hidden_state'");

        Path pooled = textModel("pooled", "input_ids", ElementType.INT64, 2, ElementType.FLOAT, "pooler_output");
        assertThatThrownBy(() -> OnnxTextEncoder.open(clip.tokenizer(), pooled))
                .hasMessageStartingWith(pooled.toString()).hasMessageContaining("missing output 'last_hidden_state'");
    }
}
