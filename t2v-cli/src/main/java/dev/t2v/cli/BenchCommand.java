package dev.t2v.cli;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.inference.Backend;
import dev.t2v.inference.bench.BenchOptions;
import dev.t2v.inference.bench.BenchReport;
import dev.t2v.inference.bench.Benchmark;
import dev.t2v.inference.ort.OrtDevice;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code t2v bench}: the GEMM ceiling, forward and training-step time per preset with GFLOP/s and MFU, ORT parity,
 * sampling time per video and peak RSS, in one process; prints a table and optionally writes JSON.
 */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure denoiser throughput (GFLOP/s, MFU vs the GEMM ceiling) on SameDiff and ONNX Runtime";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("presets").hasArg().argName("LIST")
                .desc("comma-separated presets (default all: " + String.join(",", DenoiserConfig.presetNames()) + ")")
                .build());
        o.addOption(Option.builder().longOpt("iters").hasArg().argName("N")
                .desc("timed runs per measurement after one warm-up; medians are reported (default 3, --quick 1)").build());
        o.addOption(Option.builder().longOpt("backend").hasArg().argName("LIST")
                .desc("comma-separated backends: samediff,ort (default both)").build());
        o.addOption(Option.builder().longOpt("device").hasArg().argName("DEV")
                .desc("where ONNX Runtime runs: cpu or cuda (default cpu; cuda needs the -Pcuda build)").build());
        o.addOption(Option.builder().longOpt("model").hasArg().argName("DIR")
                .desc("a model bundle to time whole generations with (default: the bundled demo model)").build());
        o.addOption(Option.builder().longOpt("samplers").hasArg().argName("LIST")
                .desc("samplers to time a video with: " + String.join(",", Schedulers.names())
                        + ", or none (default all)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("denoising steps per sampled video (default 20, --quick 4)").build());
        o.addOption(Option.builder().longOpt("no-train").desc("skip SameDiff training-step measurements").build());
        o.addOption(Option.builder().longOpt("budget").hasArg().argName("MIN")
                .desc("minutes after which remaining measurements are skipped, and said so (default 9)").build());
        o.addOption(Option.builder().longOpt("quick")
                .desc("a smoke run: tiny and demo, one timed run, dpmpp at 4 steps").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("FILE").desc("also write the results as JSON").build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        BenchOptions o = cmd.hasOption("quick") ? BenchOptions.quick() : BenchOptions.defaults();
        if (cmd.hasOption("presets")) {
            List<String> presets = list(cmd, "presets");
            for (String p : presets) {
                if (!DenoiserConfig.presetNames().contains(p)) {
                    throw UsageException.badValue("presets", p, "presets from " + DenoiserConfig.presetNames());
                }
            }
            o = o.withPresets(presets);
        }
        o = o.withIterations(Flags.intIn(cmd, "iters", o.iterations(), 1, 100));
        if (cmd.hasOption("backend")) {
            List<Backend> engines = new ArrayList<>();
            for (String b : list(cmd, "backend")) {
                try {
                    engines.add(Backend.parse(b));
                } catch (IllegalArgumentException e) {
                    throw UsageException.badValue("backend", b, "samediff or ort");
                }
            }
            o = o.withBackends(engines);
        }
        o = o.withDevice(OrtDevice.parse(Flags.oneOf(cmd, "device", "cpu", Set.of("cpu", "cuda"))));
        if (cmd.hasOption("model")) {
            o = o.withModel(Flags.existing(cmd, "model"));
        }
        if (cmd.hasOption("samplers")) {
            List<String> samplers = list(cmd, "samplers");
            if (samplers.equals(List.of("none"))) {
                samplers = List.of();
            }
            for (String s : samplers) {
                if (!Schedulers.names().contains(s)) {
                    throw UsageException.badValue("samplers", s, "samplers from " + Schedulers.names() + " or none");
                }
            }
            o = o.withSamplers(samplers);
        }
        o = o.withSamplingSteps(Flags.intIn(cmd, "steps", o.samplingSteps(), 1, 1000));
        if (cmd.hasOption("no-train")) {
            o = o.withTrain(false);
        }
        o = o.withBudget(Duration.ofSeconds(Math.round(60 * Flags.doubleIn(cmd, "budget", 9, 0.5, 600))));
        Path json = cmd.hasOption("json") ? Path.of(cmd.getOptionValue("json")) : null;
        if (json != null && Files.isDirectory(json)) {
            throw UsageException.badValue("json", json.toString(), "a file path (this is a directory)");
        }
        if (o.presets().isEmpty() && o.samplers().isEmpty()) {
            throw new UsageException("nothing to measure: give --presets or --samplers");
        }

        BenchReport report = Benchmark.run(o, new TrainerStepTiming(), ctx.err());
        ctx.out().print(report.table());
        if (json != null) {
            report.writeJson(json);
            ctx.out().println("wrote " + json);
        }
        return Main.OK;
    }

    private static List<String> list(CommandLine cmd, String flag) {
        List<String> items = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(cmd.getOptionValue(flag).split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList()));
        if (items.isEmpty()) {
            throw UsageException.badValue(flag, cmd.getOptionValue(flag), "a comma-separated list");
        }
        return items;
    }
}
