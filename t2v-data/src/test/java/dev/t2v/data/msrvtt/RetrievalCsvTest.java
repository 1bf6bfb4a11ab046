package dev.t2v.data.msrvtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalCsvTest {
    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void readsTheNineKVideoIdColumn() throws IOException {
        Path csv = write("MSRVTT_train.9k.csv", "video_id\nvideo0\nvideo1\n\nvideo7010\n");
        assertThat(RetrievalCsv.readVideoIds(csv)).containsExactly("video0", "video1", "video7010");
    }

    @Test
    void toleratesByteOrderMarkAndCrlf() throws IOException {
        Path csv = write("MSRVTT_train.9k.csv", "\uFEFFvideo_id\r\nvideo0\r\nvideo1\r\n");
        assertThat(RetrievalCsv.readVideoIds(csv)).containsExactly("video0", "video1");
    }

    @Test
    void readsJsfusionRowsWithQuotedSentences() throws IOException {
        Path csv = write("MSRVTT_JSFUSION_test.csv", "key,vid_key,video_id,sentence\n"
                + "ret0,msr7579,video7579,a girl wearing red top and black trouser is putting a sweater on a dog\n"
                + "ret1,msr7725,video7725,\"young people sit around the edges of a room, clapping\"\n"
                + "ret2,msr9258,video9258,\"a man says \"\"hello\"\"\nand waves\"\n"
                + "ret3,msr7365,video7365,\"\"\n");
        var rows = RetrievalCsv.readJsfusion(csv);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo(new JsfusionRow("ret0", "msr7579", "video7579",
                "a girl wearing red top and black trouser is putting a sweater on a dog"));
        assertThat(rows.get(1).sentence()).isEqualTo("young people sit around the edges of a room, clapping");
        assertThat(rows.get(2).sentence()).isEqualTo("a man says \"hello\"\nand waves");
        assertThat(rows.get(3).sentence()).isEmpty();
        assertThat(RetrievalCsv.readJsfusionLines(csv)).extracting(RetrievalCsv.Located::line).containsExactly(2, 3, 4, 6);
    }

    @Test
    void wrongJsfusionHeaderIsRejected() throws IOException {
        Path csv = write("t.csv", "key,video_id,sentence\nret0,video1,hi\n");
        assertThatThrownBy(() -> RetrievalCsv.readJsfusion(csv))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessage(csv + ": line 1: expected the header key,vid_key,video_id,sentence (separated by commas, "
                        + "semicolons or tabs), got key,video_id,sentence (split on commas)");
    }

    @Test
    void readsAJsfusionCopySeparatedBySemicolonsWithCrlf() throws IOException {
        // As a published copy of MSRVTT_JSFUSION_test.csv: semicolons, CRLF, commas inside unquoted sentences
        Path csv = write("MSRVTT_JSFUSION_test.csv", "key;vid_key;video_id;sentence\r\n"
                + "ret0;msr7579;video7579;a girl, in a red top, puts a sweater on a dog\r\n"
                + "ret1;msr7725;video7725;\"people sit; clapping\"\r\n");
        var rows = RetrievalCsv.readJsfusion(csv);
        assertThat(rows).containsExactly(
                new JsfusionRow("ret0", "msr7579", "video7579", "a girl, in a red top, puts a sweater on a dog"),
                new JsfusionRow("ret1", "msr7725", "video7725", "people sit; clapping"));
    }

    @Test
    void readsTabSeparatedRetrievalFiles() throws IOException {
        Path csv = write("t.tsv", "key\tvid_key\tvideo_id\tsentence\nret0\tmsr1\tvideo1\ta dog, running\n");
        assertThat(RetrievalCsv.readJsfusion(csv)).extracting(JsfusionRow::sentence).containsExactly("a dog, running");
        Path ids = write("ids.tsv", "video_id\tother\r\nvideo3\tx\r\n");
        assertThat(RetrievalCsv.readVideoIds(ids)).containsExactly("video3");
    }

    @Test
    void anUnknownDelimiterIsNamedInTheHeaderMessage() throws IOException {
        Path csv = write("t.csv", "key|vid_key|video_id|sentence\r\nret0|msr1|video1|hi\r\n");
        assertThatThrownBy(() -> RetrievalCsv.readJsfusion(csv))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining("got key|vid_key|video_id|sentence (split on commas)");
    }

    @Test
    void aSemicolonRowWithTooManyFieldsNamesTheSemicolon() throws IOException {
        Path csv = write("t.csv", "key;vid_key;video_id;sentence\nret0;msr1;video1;a; b\n");
        assertThatThrownBy(() -> RetrievalCsv.readJsfusion(csv))
                .hasMessage(csv + ": line 2: expected 4 fields like the header, got 5 (quote fields that contain "
                        + "semicolons)");
    }

    @Test
    void unquotedCommaInSentenceNamesTheLine() throws IOException {
        Path csv = write("t.csv", "key,vid_key,video_id,sentence\nret0,msr1,video1,fine\nret1,msr2,video2,a, b\n");
        assertThatThrownBy(() -> RetrievalCsv.readJsfusion(csv))
                .hasMessage(csv + ": line 3: expected 4 fields like the header, got 5 (quote fields that contain commas)");
    }

    @Test
    void duplicateVideoIdNamesBothLines() throws IOException {
        Path csv = write("t.csv", "video_id\nvideo0\nvideo1\nvideo0\n");
        assertThatThrownBy(() -> RetrievalCsv.readVideoIds(csv))
                .hasMessage(csv + ": line 4: duplicate video_id \"video0\" (also on line 2)");
    }

    @Test
    void headerWithoutVideoIdAndUnterminatedQuotesAreRejected() throws IOException {
        Path noHeader = write("a.csv", "video0\nvideo1\n");
        assertThatThrownBy(() -> RetrievalCsv.readVideoIds(noHeader))
                .hasMessage(noHeader + ": line 1: expected a header with a video_id column, got video0");
        Path unterminated = write("b.csv", "key,vid_key,video_id,sentence\nret0,msr1,video1,\"open\n");
        assertThatThrownBy(() -> RetrievalCsv.readJsfusion(unterminated))
                .hasMessage(unterminated + ": line 2: unterminated quoted field");
        Path empty = write("c.csv", "");
        assertThatThrownBy(() -> RetrievalCsv.readVideoIds(empty)).hasMessageContaining("got an empty file");
    }
}
