package dev.t2v.cli;

import dev.t2v.train.dataset.TrainingBatch;
import dev.t2v.train.ClipDatasetSource;
import dev.t2v.train.Detectability;
import dev.t2v.train.TrainingConfig;
import dev.t2v.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code t2v schedule-check}: whether a dataset and a noise schedule fit each other, before training on them
 * ({@link Detectability}): the matched-filter detectability of each clip's content against t, the decision range
 * between 1σ and 5σ, and the share of training draws that land in it.
 */
public final class ScheduleCheckCommand implements Command {
    @Override
    public String name() {
        return "schedule-check";
    }

    @Override
    public String summary() {
        return "measure where a dataset's content is decided under a noise schedule, and how often training goes there";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("data").hasArg().argName("DIR").desc("preprocessed dataset (required)")
                .build());
        o.addOption(Option.builder().longOpt("clips").hasArg().argName("N")
                .desc("clips of the training split measured (default 256)").build());
        TrainCommand.addScheduleOptions(o);
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        Path data = Flags.existing(cmd, "data");
        if (!Files.isDirectory(data)) {
            throw UsageException.badValue("data", data.toString(), "a preprocessed dataset directory");
        }
        int clips = Flags.intIn(cmd, "clips", 256, 1, 1_000_000);
        TrainingConfig cfg = TrainCommand.resolveConfig(cmd, null, false);
        List<Detectability.ClipEnergy> energies = new ArrayList<>();
        try (TrainingData d = TrainingData.open(data, cfg.trainSplit(), cfg.valSplit())) {
            ClipDatasetSource train = d.train();
            int n = Math.min(clips, train.size());
            if (n == 0) {
                throw new UsageException("--data: the " + cfg.trainSplit() + " split of " + data + " has no clips");
            }
            for (int i = 0; i < n; i++) {
                TrainingBatch b = train.batch(cfg.seed(), 0, i, 1, 1);
                energies.add(Detectability.measure(b.latents().slice(0)));
            }
        }
        ctx.out().print(Detectability.analyse(energies, cfg.scheduler(), cfg.timestepSampling()).format());
        return Main.OK;
    }
}
