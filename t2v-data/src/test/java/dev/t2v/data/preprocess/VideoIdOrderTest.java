package dev.t2v.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoIdOrderTest {
    @Test
    void digitRunsCompareByValue() {
        List<String> ids = new ArrayList<>(List.of("video10", "video2", "video1", "video100", "video9", "clip3"));
        ids.sort(VideoIdOrder.INSTANCE);
        assertThat(ids).containsExactly("clip3", "video1", "video2", "video9", "video10", "video100");
    }

    @Test
    void leadingZerosTieBreakByStringSoTheOrderIsTotal() {
        assertThat(VideoIdOrder.INSTANCE.compare("v007", "v7")).isNotZero();
        assertThat(Integer.signum(VideoIdOrder.INSTANCE.compare("v007", "v7")))
                .isEqualTo(-Integer.signum(VideoIdOrder.INSTANCE.compare("v7", "v007")));
        assertThat(VideoIdOrder.INSTANCE.compare("v7a", "v7")).isPositive();
        assertThat(VideoIdOrder.INSTANCE.compare("a", "a")).isZero();
    }
}
