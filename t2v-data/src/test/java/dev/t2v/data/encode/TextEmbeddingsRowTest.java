package dev.t2v.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Trimming a row to its mask: the one way preprocessing and generation cut captions. */
class TextEmbeddingsRowTest {
    private static final TextEmbeddings TWO = new TextEmbeddings(
            Nd4j.createFromArray(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}}),
            Nd4j.createFromArray(new float[][] {{1, 1, 0}, {0, 0, 0}}));

    @Test
    void tokensCountsUpToTheLastRealToken() {
        assertThat(TWO.tokens(0)).isEqualTo(2);
        assertThat(TWO.tokens(1)).isZero();
    }

    @Test
    void rowKeepsTheFirstTokensAsABatchOfOne() {
        TextEmbeddings r = TWO.row(0, 2);
        assertThat(r.embeddings().shape()).containsExactly(1, 2, 2);
        assertThat(r.embeddings().data().asFloat()).containsExactly(1, 2, 3, 4);
        assertThat(r.mask().data().asFloat()).containsExactly(1, 1);
    }

    @Test
    void rowOfNoTokensIsRefused() {
        assertThatThrownBy(() -> TWO.row(1, 0)).hasMessageContaining("tokens must be in [1, 3]");
    }
}
