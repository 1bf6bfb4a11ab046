package dev.t2v.cli;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.synthetic.PromptsTsv;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.ClipStyle;
import dev.t2v.data.synthetic.SyntheticSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code t2v synth}: writes the synthetic moving-shapes set in MSR-VTT layout. */
public final class SynthCommand implements Command {
    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "generate the synthetic moving-shapes set (MSR-VTT layout)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("output folder (videos/, annotation/); created if needed").build());
        o.addOption(Option.builder().longOpt("videos").hasArg().argName("N").desc("number of clips (default 200)").build());
        o.addOption(Option.builder().longOpt("size").hasArg().argName("PX")
                .desc("frame width and height, a multiple of 16 in [32, 512] (default 128)").build());
        o.addOption(Option.builder().longOpt("frames").hasArg().argName("F").desc("frames per clip, [2, 64] (default 16)").build());
        o.addOption(Option.builder().longOpt("fps").hasArg().argName("FPS").desc("frame rate, [1, 60] (default 8)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S")
                .desc("random seed; the same seed gives identical files (default 0)").build());
        o.addOption(Option.builder().longOpt("style").hasArg().argName("NAME")
                .desc("shape sizes and speeds: default (2.5-4 latent px wide at 128) or large (4.5-6.4, faster)")
                .build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        Path out = Path.of(Flags.required(cmd, "out"));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a directory (this is a file)");
        }
        int videos = Flags.intIn(cmd, "videos", 200, 1, SyntheticSpec.MAX_VIDEOS);
        int size = Flags.intIn(cmd, "size", 128, SyntheticSpec.MIN_SIZE, SyntheticSpec.MAX_SIZE);
        if (size % 16 != 0) {
            throw UsageException.badValue("size", cmd.getOptionValue("size"),
                    "a multiple of 16 in [" + SyntheticSpec.MIN_SIZE + ", " + SyntheticSpec.MAX_SIZE + "]");
        }
        int frames = Flags.intIn(cmd, "frames", 16, SyntheticSpec.MIN_FRAMES, SyntheticSpec.MAX_FRAMES);
        double fps = Flags.doubleIn(cmd, "fps", 8, 1, 60);
        long seed = Flags.longValue(cmd, "seed", 0);
        String style = Flags.oneOf(cmd, "style", "default", new java.util.LinkedHashSet<>(java.util.List.of("default", "large")));
        SyntheticSpec spec = SyntheticSpec.of(videos, size, frames, fps, seed).withStyle(ClipStyle.named(style));

        SyntheticSet.Result result;
        try (ProgressBar bar = new ProgressBar(ctx.err(), "synth", videos)) {
            result = SyntheticSet.generate(out, spec, bar);
        }
        Map<Split, Integer> sizes = result.splitSizes();
        long heldOutPrompts = result.testPrompts().stream().filter(p -> p.heldOut()).count();
        ctx.out().printf("wrote %d clips to %s: train %d, validate %d, test %d (%d of held-out combinations)%n", videos, out,
                sizes.get(Split.TRAIN), sizes.get(Split.VALIDATE), sizes.get(Split.TEST), result.heldOutClips());
        ctx.out().printf("test prompts: %s (%d held-out, %d seen)%n",
                out.resolve(SyntheticSet.ANNOTATION_DIR).resolve(PromptsTsv.FILE_NAME), heldOutPrompts,
                result.testPrompts().size() - heldOutPrompts);
        return Main.OK;
    }
}
