package dev.t2v.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClipWindowsTest {
    @Test
    void windowsAreCentredInEqualSegments() {
        // 10 s, 1 s windows: segments [0,5) and [5,10) centred at 2.5 and 7.5.
        assertThat(ClipWindows.starts(10, 8, 8, 2)).containsExactly(2.0, 7.0);
        assertThat(ClipWindows.starts(10, 8, 8, 1)).containsExactly(4.5);
    }

    @Test
    void aVideoTwoWindowsLongIsCutInTwoWithoutOverlap() {
        assertThat(ClipWindows.starts(2.0, 8, 8, 2)).containsExactly(0.0, 1.0);
    }

    @Test
    void windowsAreShiftedInsideTheVideo() {
        // 1.5 s: centres 0.375 and 1.125 give starts -0.125 and 0.625, kept within [0, 0.5].
        assertThat(ClipWindows.starts(1.5, 8, 8, 2)).containsExactly(0.0, 0.5);
    }

    @Test
    void aVideoJustOneWindowLongGivesOneClipNotCopies() {
        assertThat(ClipWindows.starts(1.0, 8, 8, 3)).containsExactly(0.0);
    }

    @Test
    void startsAreRoundedDownToTheMillisecond() {
        assertThat(ClipWindows.starts(3.3333333, 8, 8, 2)).containsExactly(0.333, 1.999);
        // 0.75 * 1.13 - 0.5 is 0.12999999999999990 in binary: still the 130th millisecond.
        assertThat(ClipWindows.starts(1.13, 8, 8, 2)).containsExactly(0.0, 0.13);
    }

    @Test
    void aVideoShorterThanAWindowGivesNone() {
        assertThat(ClipWindows.starts(0.5, 8, 8, 2)).isEmpty();
        // Within half a frame of the window: container rounding, still sampleable.
        assertThat(ClipWindows.starts(0.95, 8, 8, 2)).containsExactly(0.0);
        assertThat(ClipWindows.starts(0.9, 8, 8, 2)).isEmpty();
    }
}
