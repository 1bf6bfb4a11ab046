package dev.t2v.examples;

import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import dev.t2v.inference.DemoModel;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.TextToVideoPipeline;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Video to video (SDEdit): the init video is encoded, noised part of the way and denoised under a new prompt. The
 * strength, in (0, 1], is how much is regenerated: near 0 keeps the input, 1 ignores it.
 *
 * <pre>
 * VideoToVideo INIT_VIDEO OUT.mp4 [PROMPT] [STRENGTH] [MODEL_DIR]
 * </pre>
 *
 * Defaults: "a blue square moving left", strength 0.6, the bundled demo model. The output has the init video's
 * frame count and frame rate, at the model's frame size (frames are centre-cropped to a square and resized).
 */
public final class VideoToVideo {
    private VideoToVideo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: VideoToVideo INIT_VIDEO OUT.mp4 [PROMPT] [STRENGTH] [MODEL_DIR]");
        }
        Path initFile = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String prompt = args.length > 2 ? args[2] : "a blue square moving left";
        double strength = args.length > 3 ? Double.parseDouble(args[3]) : 0.6;
        Path model = args.length > 4 ? Path.of(args[4]) : DemoModel.directory();

        Video init;
        try (VideoReader reader = VideoReader.open(initFile)) {
            init = reader.readAll();
        }
        long start = System.nanoTime();
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(model)) {
            // Longer than the model's window is fine: the pipeline co-denoises overlapping windows.
            GenerationRequest request = pipeline.requestBuilder(prompt)
                    .frames(init.frameCount()).fps(init.fps())
                    .initVideo(init, strength)
                    .seed(7)
                    .build();
            Video video = pipeline.generate(request, ProgressListener.NONE);
            video.writeMp4(out);
            System.out.printf(Locale.ROOT, "wrote %s: %d frames from %s at strength %.2f in %.1f s%n",
                    out.toAbsolutePath(), video.frameCount(), initFile, strength, (System.nanoTime() - start) / 1e9);
        }
    }
}
