package dev.t2v.examples;

import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.data.video.Video;
import dev.t2v.inference.DemoModel;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.output.ContactSheet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One prompt and seed through each sampler: DDPM needs hundreds of steps, DDIM tens, DPM-Solver++ 10 to 20 for a
 * similar picture. Prints a table of sampler, steps and seconds, and writes a contact sheet per run to compare.
 *
 * <pre>
 * CompareSamplers [MODEL_DIR] [PROMPT] [OUT_DIR]
 * </pre>
 *
 * Defaults: the bundled demo model, "a green triangle moving up", and {@code samplers/}.
 */
public final class CompareSamplers {
    /** A sampler ({@code ddpm}, {@code ddim} or {@code dpmpp}) with a step count. */
    public record Run(String sampler, int steps) {
        public Run {
            if (!Schedulers.names().contains(sampler) || steps < 1) {
                throw new IllegalArgumentException("expected a sampler in " + Schedulers.names() + " and steps >= 1, "
                        + "got " + sampler + " with " + steps + " steps");
            }
        }
    }

    /** What one run took and where its contact sheet is. */
    public record Result(Run run, double seconds, Path contactSheet) {
    }

    public static final List<Run> DEFAULT_RUNS = List.of(new Run("ddpm", 250), new Run("ddim", 50),
            new Run("dpmpp", 20), new Run("dpmpp", 10));

    private CompareSamplers() {
    }

    public static void main(String[] args) throws Exception {
        Path model = args.length > 0 ? Path.of(args[0]) : DemoModel.directory();
        String prompt = args.length > 1 ? args[1] : "a green triangle moving up";
        Path outDir = Path.of(args.length > 2 ? args[2] : "samplers");
        System.out.printf("%-8s %6s %9s  %s%n", "sampler", "steps", "seconds", "contact sheet");
        for (Result r : run(model, prompt, DEFAULT_RUNS, outDir)) {
            System.out.printf(Locale.ROOT, "%-8s %6d %9.2f  %s%n", r.run().sampler(), r.run().steps(), r.seconds(),
                    r.contactSheet());
        }
    }

    /** Generates {@code prompt} once per run with the same seed, writing {@code outDir/SAMPLER-STEPS.png}. */
    public static List<Result> run(Path model, String prompt, List<Run> runs, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        List<Result> results = new ArrayList<>();
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(model)) {
            for (Run run : runs) {
                // Only the sampler and steps change: same prompt, seed, frames and guidance.
                GenerationRequest request = pipeline.requestBuilder(prompt)
                        .sampler(run.sampler()).steps(run.steps()).seed(1).build();
                long start = System.nanoTime();
                Video video = pipeline.generate(request, ProgressListener.NONE);
                double seconds = (System.nanoTime() - start) / 1e9;
                Path sheet = outDir.resolve(run.sampler() + "-" + run.steps() + ".png");
                ContactSheet.write(video, sheet, prompt + " (" + run.sampler() + ", " + run.steps() + " steps)");
                results.add(new Result(run, seconds, sheet));
            }
        }
        return results;
    }
}
