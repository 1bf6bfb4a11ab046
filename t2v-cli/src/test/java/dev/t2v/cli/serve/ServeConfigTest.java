package dev.t2v.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServeConfigTest {
    private final ServeConfig defaults = ServeConfig.defaults(Path.of("out"));

    @Test
    void defaultsBindLoopbackOnTheSeedProjectsPortWithRoomForTwentyRequests() {
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(7860);
        assertThat(defaults.maxQueue()).isGreaterThanOrEqualTo(20);
        assertThat(defaults.maxBodyBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> defaults.withPort(65536)).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> defaults.withPort(-1)).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> defaults.withMaxQueue(0)).hasMessageStartingWith("maxQueue:");
        assertThatThrownBy(() -> defaults.withMaxBodyBytes(10)).hasMessageStartingWith("maxBodyBytes:");
        assertThatThrownBy(() -> defaults.withHost(" ")).hasMessageStartingWith("host:");
        assertThatThrownBy(() -> defaults.withShutdownGrace(Duration.ofSeconds(-1))).hasMessageStartingWith("shutdownGrace:");
        assertThatThrownBy(() -> defaults.withMaxQueue(10).withMaxHistory(10))
                .hasMessage("maxHistory: expected >= maxQueue + 1 = 11, got 10");
    }

    @Test
    void aLargerQueueRaisesTheHistoryToHoldIt() {
        assertThat(defaults.withMaxQueue(5000).maxHistory()).isEqualTo(5001);
        assertThat(defaults.withMaxQueue(5).maxHistory()).isEqualTo(ServeConfig.DEFAULT_MAX_HISTORY);
    }
}
