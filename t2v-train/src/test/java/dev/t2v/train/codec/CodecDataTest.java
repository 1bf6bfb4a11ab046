package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecDataTest {
    @TempDir
    static Path tmp;
    static Path set;

    @BeforeAll
    static void writeSet() throws IOException {
        set = TinySets.write(tmp.resolve("set"), 8, 4);
    }

    @Test
    void trainsOnTheTrainSplitAndHoldsOutValidateAndTestVideos() throws IOException {
        MsrVttDataset ds = MsrVttDataset.open(set);
        int train = ds.clips(Split.TRAIN).size();
        int held = ds.clips(Split.VALIDATE).size() + ds.clips(Split.TEST).size();
        CodecData.Sources sources = CodecData.sources(set, 100);
        assertThat(sources.videoCount()).isEqualTo(8);
        CodecData data = sources.load(32, 3, ProgressBar.silent());
        assertThat(data.trainVideos()).isEqualTo(train);
        assertThat(data.heldOutVideos()).isEqualTo(held);
        assertThat(data.train().count()).isEqualTo(3 * train);
        assertThat(data.heldOut().count()).isEqualTo(3 * held);
        assertThat(data.frameSize()).isEqualTo(32);
        assertThat(data.heldOutSplits()).isNotEmpty().isSubsetOf("validate", "test");
    }

    @Test
    void heldOutVideosAreCappedAndTheHashFollowsTheFiles() throws IOException {
        CodecData one = CodecData.sources(set, 1).load(32, 2, ProgressBar.silent());
        assertThat(one.heldOutVideos()).isEqualTo(1);
        assertThat(CodecData.sources(set, 1).load(32, 2, ProgressBar.silent()).hash()).isEqualTo(one.hash());
        assertThat(CodecData.sources(set, 100).load(32, 2, ProgressBar.silent()).hash()).isNotEqualTo(one.hash());
    }

    @Test
    void aFolderWithoutHeldOutVideosIsRejected() throws IOException {
        Path copy = tmp.resolve("train-only");
        Files.createDirectories(copy.resolve("annotation"));
        String json = Files.readString(set.resolve("annotation/MSRVTT_data.json"))
                .replace("\"validate\"", "\"train\"").replace("\"test\"", "\"train\"");
        Files.writeString(copy.resolve("annotation/MSRVTT_data.json"), json);
        assertThatThrownBy(() -> CodecData.sources(copy, 4)).hasMessageContaining("validate or test");
    }
}
