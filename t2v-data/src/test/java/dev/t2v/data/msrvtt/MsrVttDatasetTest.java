package dev.t2v.data.msrvtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsrVttDatasetTest {
    @TempDir
    Path root;

    private void copyFixture(String name, Path dest) throws IOException {
        Files.createDirectories(dest.getParent());
        try (var in = getClass().getResourceAsStream("/msrvtt/" + name)) {
            Files.write(dest, in.readAllBytes());
        }
    }

    private void touchVideo(String dir, String id) throws IOException {
        Files.createDirectories(root.resolve(dir));
        Files.write(root.resolve(dir).resolve(id + ".mp4"), new byte[] {0});
    }

    @Test
    void opensMsrVttDataLayoutWithOfficialSplits() throws IOException {
        copyFixture("MSRVTT_data.json", root.resolve("annotation/MSRVTT_data.json"));
        for (int i = 0; i < 4; i++) {
            touchVideo("videos", "video" + i);
        }

        MsrVttDataset ds = MsrVttDataset.open(root);

        assertThat(ds.clips()).extracting(MsrVttClip::videoId)
                .containsExactly("video0", "video1", "video2", "video3", "video4");
        assertThat(ds.splitSizes()).isEqualTo(Map.of(Split.TRAIN, 2, Split.VALIDATE, 1, Split.TEST, 2));
        assertThat(ds.clips(Split.VALIDATE)).extracting(MsrVttClip::videoId).containsExactly("video2");
        assertThat(ds.clip("video0").orElseThrow().captions()).hasSize(2);
        assertThat(ds.videoFile(ds.clip("video3").orElseThrow())).isEqualTo(root.resolve("videos/video3.mp4"));
        assertThat(ds.missingVideos()).containsExactly("video4");
        assertThatThrownBy(() -> ds.videoFile(ds.clip("video4").orElseThrow()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("video4.mp4")
                .hasMessageContaining("TrainValVideo");
    }

    @Test
    void opensTheOriginalDownloadLayout() throws IOException {
        MsrVttAnnotations all = MsrVttAnnotations.read(fixturePath());
        List<MsrVttVideo> trainVal = all.videos().stream().filter(v -> v.split() != Split.TEST).toList();
        List<MsrVttVideo> test = all.videos().stream().filter(v -> v.split() == Split.TEST).toList();
        List<String> trainValIds = trainVal.stream().map(MsrVttVideo::videoId).toList();
        new MsrVttAnnotations(all.info(), trainVal,
                all.sentences().stream().filter(s -> trainValIds.contains(s.videoId())).toList())
                .write(root.resolve("train_val_annotation/train_val_videodatainfo.json"));
        new MsrVttAnnotations(all.info(), test,
                all.sentences().stream().filter(s -> !trainValIds.contains(s.videoId())).toList())
                .write(root.resolve("test_videodata_info/test_videodatainfo.json"));
        touchVideo("TrainValVideo", "video0");
        touchVideo("TestVideo", "video4");

        MsrVttDataset ds = MsrVttDataset.open(root);

        assertThat(ds.clips()).hasSize(5);
        assertThat(ds.clip("video4").orElseThrow().captions()).containsExactly("a woman is singing", "someone sings on a stage");
        assertThat(ds.videoFile(ds.clip("video0").orElseThrow())).isEqualTo(root.resolve("TrainValVideo/video0.mp4"));
        assertThat(ds.videoFile(ds.clip("video4").orElseThrow())).isEqualTo(root.resolve("TestVideo/video4.mp4"));
    }

    private Path fixturePath() throws IOException {
        Path p = root.resolve("fixture.json");
        copyFixture("MSRVTT_data.json", p);
        return p;
    }

    @Test
    void nineKSplitTakesTrainAndOneKATestFromTheCsvs() throws IOException {
        copyFixture("MSRVTT_data.json", root.resolve("annotation/MSRVTT_data.json"));
        copyFixture("MSRVTT_train.9k.csv", root.resolve("annotation/MSRVTT_train.9k.csv"));
        copyFixture("MSRVTT_JSFUSION_test.csv", root.resolve("annotation/MSRVTT_JSFUSION_test.csv"));

        MsrVttDataset ds = MsrVttDataset.open(root).nineK();

        assertThat(ds.splitSizes()).isEqualTo(Map.of(Split.TRAIN, 4, Split.VALIDATE, 0, Split.TEST, 1));
        // video2 is "validate" and video3 "test" officially: the 9k split trains on them.
        assertThat(ds.clip("video3").orElseThrow().split()).isEqualTo(Split.TRAIN);
        MsrVttClip test = ds.clip("video4").orElseThrow();
        assertThat(test.captions()).containsExactly("a woman, on a stage, is \"singing\"");
        assertThat(test.video().split()).isEqualTo(Split.TEST);
    }

    @Test
    void retrievalCsvWithUnknownVideoNamesCsvAndLine() throws IOException {
        copyFixture("MSRVTT_data.json", root.resolve("MSRVTT_data.json"));
        Path train = Files.writeString(root.resolve("train.csv"), "video_id\nvideo0\nvideo77\n");
        Path test = Files.writeString(root.resolve("test.csv"), "key,vid_key,video_id,sentence\nret0,msr0,video0,x\n");
        MsrVttDataset ds = MsrVttDataset.open(root);

        assertThatThrownBy(() -> ds.withRetrievalSplit(train, test))
                .isInstanceOf(AnnotationFormatException.class)
                .hasMessage(train + ": line 3: video_id \"video77\" is not in the annotation's videos[]");
        Path train2 = Files.writeString(root.resolve("train2.csv"), "video_id\nvideo0\n");
        assertThatThrownBy(() -> ds.withRetrievalSplit(train2, test))
                .hasMessageStartingWith(test + ": line 2: video_id \"video0\" is also in the train split");
    }

    @Test
    void folderWithoutAnnotationSaysWhatWasLookedFor() {
        assertThatThrownBy(() -> MsrVttDataset.open(root))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("annotation/MSRVTT_data.json")
                .hasMessageContaining("train_val_videodatainfo.json");
        assertThatThrownBy(() -> MsrVttDataset.open(root.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    }
}
