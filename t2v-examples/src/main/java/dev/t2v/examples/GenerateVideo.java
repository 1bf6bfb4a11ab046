package dev.t2v.examples;

import dev.t2v.data.video.Video;
import dev.t2v.inference.DemoModel;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.TextToVideoPipeline;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Text to video in a few lines: load a model bundle, generate from a prompt with a fixed seed, write an MP4.
 *
 * <pre>
 * GenerateVideo [PROMPT] [OUT.mp4] [MODEL_DIR]
 * </pre>
 *
 * Defaults: "a red circle moving right", {@code red.mp4}, and the demo model bundled in the t2v-inference jar. Frames,
 * frame rate, sampler, steps and guidance come from the bundle's defaults ({@link TextToVideoPipeline#defaults()});
 * change any of them on the request builder.
 */
public final class GenerateVideo {
    /** The same seed and request give the same frames, bit for bit. */
    static final long SEED = 42;

    private GenerateVideo() {
    }

    public static void main(String[] args) throws Exception {
        String prompt = args.length > 0 ? args[0] : "a red circle moving right";
        Path out = Path.of(args.length > 1 ? args[1] : "red.mp4");
        // The demo bundle is extracted from the class path to a cache directory once: ONNX Runtime needs files.
        Path model = args.length > 2 ? Path.of(args[2]) : DemoModel.directory();

        long start = System.nanoTime();
        // The pipeline owns native memory (ONNX sessions, the SameDiff graph): close it when done.
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(model)) {
            GenerationRequest request = pipeline.requestBuilder(prompt).seed(SEED).build();
            Video video = pipeline.generate(request, (stage, done, total) -> {
                if (stage.equals(TextToVideoPipeline.DENOISE)) {
                    System.err.printf("\rdenoising %d/%d", done, total);
                }
            });
            System.err.println();
            video.writeMp4(out);
            System.out.printf(Locale.ROOT, "wrote %s: %d frames of %dx%d at %s fps, %s %d steps, in %.1f s%n",
                    out.toAbsolutePath(), video.frameCount(), video.width(), video.height(), request.fps(),
                    request.sampler(), request.steps(), (System.nanoTime() - start) / 1e9);
        }
    }
}
