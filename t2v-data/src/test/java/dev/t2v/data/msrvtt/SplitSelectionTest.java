package dev.t2v.data.msrvtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitSelectionTest {
    @TempDir
    Path root;

    @Test
    void officialNamesSelectTheOfficialScheme() {
        SplitSelection s = SplitSelection.parse(" Test,train ");
        assertThat(s.scheme()).isEqualTo(SplitSelection.Scheme.OFFICIAL);
        assertThat(s.splits()).containsExactly(Split.TRAIN, Split.TEST);
        assertThat(s.names()).containsExactly("train", "test");
        assertThat(SplitSelection.ALL.names()).containsExactly("train", "validate", "test");
    }

    @Test
    void retrievalNamesSelectTheNineKScheme() {
        SplitSelection s = SplitSelection.parse("1k-A-test,9k-train");
        assertThat(s.scheme()).isEqualTo(SplitSelection.Scheme.RETRIEVAL_9K);
        assertThat(s.splits()).containsExactly(Split.TRAIN, Split.TEST);
        assertThat(s.names()).containsExactly("9k-train", "1k-a-test");
        assertThat(SplitSelection.parse("9k-train").names()).containsExactly("9k-train");
    }

    @Test
    void unknownOrMixedNamesAreRefusedWithTheChoices() {
        assertThatThrownBy(() -> SplitSelection.parse("train,7k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a comma-separated list of train, validate, test, 9k-train, 1k-a-test; got \"7k\"");
        assertThatThrownBy(() -> SplitSelection.parse("train,")).hasMessageContaining("got \"\"");
        assertThatThrownBy(() -> SplitSelection.parse("train,1k-a-test")).hasMessageContaining("cannot be mixed");
        assertThatThrownBy(() -> new SplitSelection(SplitSelection.Scheme.RETRIEVAL_9K, EnumSet.of(Split.VALIDATE)))
                .hasMessageContaining("no validation split");
    }

    @Test
    void applyingTheRetrievalSchemeReadsTheCsvsBesideTheAnnotation() throws IOException {
        copyFixture("MSRVTT_data.json", root.resolve("annotation/MSRVTT_data.json"));
        copyFixture("MSRVTT_train.9k.csv", root.resolve("annotation/MSRVTT_train.9k.csv"));
        copyFixture("MSRVTT_JSFUSION_test.csv", root.resolve("annotation/MSRVTT_JSFUSION_test.csv"));
        MsrVttDataset official = MsrVttDataset.open(root);

        SplitSelection test = SplitSelection.parse("1k-a-test");
        MsrVttDataset nineK = test.apply(official);

        assertThat(SplitSelection.ALL.apply(official)).isSameAs(official);
        assertThat(nineK.clips().stream().filter(test::takes)).extracting(MsrVttClip::videoId)
                .containsExactly("video4");
    }

    @Test
    void applyingTheRetrievalSchemeWithoutItsCsvsNamesTheMissingFile() throws IOException {
        copyFixture("MSRVTT_data.json", root.resolve("annotation/MSRVTT_data.json"));
        MsrVttDataset official = MsrVttDataset.open(root);
        assertThatThrownBy(() -> SplitSelection.parse("9k-train").apply(official))
                .hasMessageContaining(RetrievalCsv.TRAIN_9K);
    }

    private static void copyFixture(String name, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = SplitSelectionTest.class.getResourceAsStream("/msrvtt/" + name)) {
            Files.copy(in, to);
        }
    }
}
