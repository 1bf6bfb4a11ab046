package dev.t2v.examples;

import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the examples' main methods and reads their output back. */
final class Outputs {
    /** A {@code main(String[])} call. */
    @FunctionalInterface
    interface Main {
        void run() throws Exception;
    }

    private Outputs() {
    }

    static Video readVideo(Path file) throws IOException {
        try (VideoReader reader = VideoReader.open(file)) {
            return reader.readAll();
        }
    }

    /** What {@code main} prints on standard output (tests run one at a time, so swapping System.out is safe). */
    static String stdout(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
