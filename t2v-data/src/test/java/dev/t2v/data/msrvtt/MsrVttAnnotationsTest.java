package dev.t2v.data.msrvtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsrVttAnnotationsTest {
    @TempDir
    Path tmp;

    static byte[] fixture() throws IOException {
        try (InputStream in = MsrVttAnnotationsTest.class.getResourceAsStream("/msrvtt/MSRVTT_data.json")) {
            return in.readAllBytes();
        }
    }

    private static MsrVttAnnotations parse(String json) {
        return MsrVttAnnotations.parse(json.getBytes(StandardCharsets.UTF_8), "MSRVTT_data.json");
    }

    /** A one-video file with {@code field} replaced by {@code replacement} (e.g. {@code "\"start time\": \"x\""}). */
    private static String oneVideo(String videoFields) {
        return "{\"videos\": [{" + videoFields + "}], \"sentences\": []}";
    }

    private static final String GOOD_VIDEO = "\"category\": 9, \"url\": \"u\", \"video_id\": \"video0\", "
            + "\"start time\": 1.5, \"end time\": 11.5, \"split\": \"train\", \"id\": 0";

    @Test
    void parsesTheRealFieldsIncludingSpacedTimeKeys() throws IOException {
        MsrVttAnnotations a = MsrVttAnnotations.parse(fixture(), "MSRVTT_data.json");

        assertThat(a.videos()).hasSize(5);
        MsrVttVideo v0 = a.videos().get(0);
        assertThat(v0.videoId()).isEqualTo("video0");
        assertThat(v0.category()).isEqualTo(9);
        assertThat(v0.url()).isEqualTo("https://www.youtube.com/watch?v=9lZi22qLlEo");
        assertThat(v0.startTime()).isEqualTo(137.72);
        assertThat(v0.endTime()).isEqualTo(149.44);
        assertThat(v0.split()).isEqualTo(Split.TRAIN);
        assertThat(v0.id()).isZero();
        assertThat(a.videos()).extracting(MsrVttVideo::split)
                .containsExactly(Split.TRAIN, Split.TRAIN, Split.VALIDATE, Split.TEST, Split.TEST);
        assertThat(a.info()).containsEntry("year", "2016").containsEntry("version", "1.0");
        assertThat(a.sentences()).hasSize(7);
        assertThat(a.sentences().get(3).caption()).isEqualTo("a man is talking about \"cars\", and trucks");
        assertThat(a.sentences().get(3).senId()).isEqualTo(3);
        assertThat(a.captionsByVideo().get("video4")).containsExactly("a woman is singing", "someone sings on a stage");
    }

    @Test
    void keepsExtraFieldsAndRoundTripsThroughJson() throws IOException {
        MsrVttAnnotations a = MsrVttAnnotations.parse(fixture(), "MSRVTT_data.json");
        assertThat(a.videos().get(4).extra()).containsOnlyKeys("note");
        assertThat(a.videos().get(4).extra().get("note").get("extra").booleanValue()).isTrue();

        Path out = tmp.resolve("annotation/MSRVTT_data.json");
        a.write(out);
        MsrVttAnnotations back = MsrVttAnnotations.read(out);

        assertThat(back).isEqualTo(a);
        assertThat(Files.list(out.getParent())).containsExactly(out);
    }

    @Test
    void integerTimesAndIntegralFloatIdsAreAccepted() {
        MsrVttAnnotations a = parse(oneVideo(GOOD_VIDEO.replace("\"id\": 0", "\"id\": 7.0")
                .replace("1.5", "1").replace("11.5", "11")));
        assertThat(a.videos().get(0).id()).isEqualTo(7);
        assertThat(a.videos().get(0).duration()).isEqualTo(10.0);
        assertThat(a.info()).isEmpty();
    }

    @Test
    void missingStartTimeNamesFileAndJsonPath() {
        String json = "{\"videos\": [{" + GOOD_VIDEO + "}, {" + GOOD_VIDEO.replace("video0", "video1")
                .replace("\"start time\": 1.5, ", "") + "}], \"sentences\": []}";
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessage("MSRVTT_data.json: videos[1].start time: missing; expected a number");
    }

    @Test
    void stringTimeIsRejectedWithWhatWasExpected() {
        assertThatThrownBy(() -> parse(oneVideo(GOOD_VIDEO.replace("\"end time\": 11.5", "\"end time\": \"11.5\""))))
                .hasMessage("MSRVTT_data.json: videos[0].end time: expected a number, got string \"11.5\"");
    }

    @Test
    void fractionalCategoryIsRejected() {
        assertThatThrownBy(() -> parse(oneVideo(GOOD_VIDEO.replace("\"category\": 9", "\"category\": 9.5"))))
                .hasMessage("MSRVTT_data.json: videos[0].category: expected an integer, got number 9.5");
    }

    @Test
    void unknownSplitValueListsTheAllowedOnes() {
        assertThatThrownBy(() -> parse(oneVideo(GOOD_VIDEO.replace("\"train\"", "\"val\""))))
                .hasMessage("MSRVTT_data.json: videos[0].split: expected one of \"train\", \"validate\", \"test\", got \"val\"");
    }

    @Test
    void endBeforeStartIsRejected() {
        assertThatThrownBy(() -> parse(oneVideo(GOOD_VIDEO.replace("11.5", "0.5"))))
                .hasMessageStartingWith("MSRVTT_data.json: videos[0].end time: expected end time >= start time");
    }

    @Test
    void nullVideoIdIsRejected() {
        assertThatThrownBy(() -> parse(oneVideo(GOOD_VIDEO.replace("\"video0\"", "null"))))
                .hasMessage("MSRVTT_data.json: videos[0].video_id: expected a string, got null");
    }

    @Test
    void duplicateVideoIdNamesBothEntries() {
        String json = "{\"videos\": [{" + GOOD_VIDEO + "}, {" + GOOD_VIDEO + "}], \"sentences\": []}";
        assertThatThrownBy(() -> parse(json))
                .hasMessage("MSRVTT_data.json: videos[1].video_id: duplicate \"video0\" (also at videos[0])");
    }

    @Test
    void sentenceOfUnknownVideoIsRejected() {
        String json = "{\"videos\": [{" + GOOD_VIDEO + "}], \"sentences\": [{\"caption\": \"c\", \"video_id\": \"video0\", "
                + "\"sen_id\": 0}, {\"caption\": \"c\", \"video_id\": \"video9\", \"sen_id\": 1}]}";
        assertThatThrownBy(() -> parse(json))
                .hasMessage("MSRVTT_data.json: sentences[1].video_id: expected the video_id of an entry in videos[], got \"video9\"");
    }

    @Test
    void sentenceWithoutSenIdIsRejected() {
        String json = "{\"videos\": [{" + GOOD_VIDEO + "}], \"sentences\": [{\"caption\": \"c\", \"video_id\": \"video0\"}]}";
        assertThatThrownBy(() -> parse(json))
                .hasMessage("MSRVTT_data.json: sentences[0].sen_id: missing; expected an integer");
    }

    @Test
    void missingTopLevelArraysAndWrongShapesAreRejected() {
        assertThatThrownBy(() -> parse("{\"videos\": []}"))
                .hasMessage("MSRVTT_data.json: sentences: missing; expected an array");
        assertThatThrownBy(() -> parse("{\"videos\": {}, \"sentences\": []}"))
                .hasMessage("MSRVTT_data.json: videos: expected an array, got an object");
        assertThatThrownBy(() -> parse("[1, 2]"))
                .hasMessage("MSRVTT_data.json: (top): expected an object, got an array");
        assertThatThrownBy(() -> parse("{\"videos\": [3], \"sentences\": []}"))
                .hasMessage("MSRVTT_data.json: videos[0]: expected an object, got number 3");
        assertThatThrownBy(() -> parse("{\"info\": \"x\", \"videos\": [], \"sentences\": []}"))
                .hasMessage("MSRVTT_data.json: info: expected an object, got string \"x\"");
        assertThatThrownBy(() -> parse(""))
                .hasMessageContaining("got an empty file");
    }

    @Test
    void brokenJsonNamesLineAndColumn() {
        assertThatThrownBy(() -> parse("{\"videos\": [\n{\"video_id\": \"video0\",,}]}"))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessageStartingWith("MSRVTT_data.json: line 2 column ")
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void mergeJoinsTrainValAndTestFiles() {
        MsrVttAnnotations a = parse(oneVideo(GOOD_VIDEO));
        MsrVttAnnotations b = parse(oneVideo(GOOD_VIDEO.replace("video0", "video1").replace("train", "test")));
        MsrVttAnnotations m = a.merge(b);
        assertThat(m.videos()).extracting(MsrVttVideo::videoId).containsExactly("video0", "video1");
        assertThatThrownBy(() -> a.merge(a)).hasMessageContaining("duplicate video_id 'video0'");
    }
}
