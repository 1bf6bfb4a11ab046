package dev.t2v.train;

import dev.t2v.core.io.Safetensors;
import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.NullTextEmbedding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of a run, {@code RUN/checkpoints/step-0000200/}: a model bundle (EMA weights) plus
 * {@code weights.safetensors} (raw weights), {@code optimizer.safetensors} (Adam moments {@code m/…}, {@code v/…}) and
 * {@code trainer-state.json} (written last, {@code "complete": true}). Each is written to
 * {@code .tmp-step-0000200} and renamed into place, so a killed run leaves either a complete checkpoint or a temp
 * directory that the next run removes.
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "trainer-state.json";
    private static final String PREFIX = "step-";
    private static final String TMP_PREFIX = ".tmp-";

    /** A complete checkpoint found on disk. */
    public record Checkpoint(Path dir, TrainerState state) {
    }

    private final Path dir;
    private final PrintStream log;
    /** Incomplete checkpoints already reported, so each is warned about once. */
    private final Set<Path> reported = new HashSet<>();

    public Checkpoints(Path runDir, PrintStream log) {
        this.dir = runDir.resolve(DIR);
        this.log = log;
    }

    public Path directory() {
        return dir;
    }

    /** {@code step-0000200}. */
    public static String name(long step) {
        return String.format(Locale.ROOT, PREFIX + "%07d", step);
    }

    /**
     * Writes checkpoint {@code state.step()} atomically and returns its directory.
     *
     * @throws IllegalStateException when a raw weight or moment is not finite (nothing is written)
     */
    public Path write(BundleInfo info, Map<String, INDArray> rawWeights, Map<String, INDArray> emaWeights,
            Map<String, INDArray> optimizerState, NullTextEmbedding nullText, TrainerState state) throws IOException {
        requireFinite(rawWeights, "weight");
        requireFinite(optimizerState, "optimizer moment");
        Files.createDirectories(dir);
        String name = name(state.step());
        Path tmp = dir.resolve(TMP_PREFIX + name);
        ModelBundle.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        Path target = dir.resolve(name);
        try {
            ModelBundle.writeInto(tmp, info, emaWeights, nullText);
            Safetensors.write(tmp.resolve(WEIGHTS), rawWeights, Map.of("format", "t2v-raw-weights"));
            Safetensors.write(tmp.resolve(OPTIMIZER), optimizerState, Map.of("format", "t2v-adamw"));
            Path stateTmp = tmp.resolve(STATE + ".tmp");
            Files.write(stateTmp, state.toJson());
            Files.move(stateTmp, tmp.resolve(STATE), StandardCopyOption.ATOMIC_MOVE);
            // An older run's (incomplete) directory of the same step is replaced.
            ModelBundle.replaceDirectory(tmp, target);
        } finally {
            ModelBundle.deleteRecursively(tmp);
        }
        return target;
    }

    private static void requireFinite(Map<String, INDArray> arrays, String what) {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            if (e.getValue().isNaN().any() || e.getValue().isInfinite().any()) {
                throw new IllegalStateException(what + " '" + e.getKey() + "' is not finite; refusing to write a "
                        + "checkpoint");
            }
        }
    }

    /** Complete checkpoints, oldest first; incomplete ones are reported on the log and left out. */
    public List<Checkpoint> list() throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (Path d : dirs) {
            String why = null;
            TrainerState state = null;
            Path stateFile = d.resolve(STATE);
            if (!Files.isRegularFile(stateFile)) {
                why = "no " + STATE;
            } else {
                try {
                    state = TrainerState.read(stateFile);
                } catch (IOException | RuntimeException e) {
                    why = e.getMessage();
                }
            }
            if (why == null) {
                for (String f : List.of(WEIGHTS, OPTIMIZER, ModelBundle.DENOISER_FILE, ModelBundle.MODEL_JSON,
                        ModelBundle.NULL_TEXT_FILE)) {
                    if (!Files.isRegularFile(d.resolve(f))) {
                        why = "missing " + f;
                        break;
                    }
                }
            }
            if (why != null) {
                if (reported.add(d)) {
                    log.println("warning: ignoring incomplete checkpoint " + d + ": " + why);
                }
                continue;
            }
            out.add(new Checkpoint(d, state));
        }
        return out;
    }

    /** The newest complete checkpoint. */
    public Optional<Checkpoint> latest() throws IOException {
        List<Checkpoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Removes temp directories left by a killed run, with a warning. */
    public void removeTemps() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> temps;
        try (Stream<Path> s = Files.list(dir)) {
            temps = s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
        for (Path t : temps) {
            log.println("warning: removing half-written checkpoint " + t + " (left by an interrupted run)");
            ModelBundle.deleteRecursively(t);
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints and the best by validation loss. */
    public void prune(int keep) throws IOException {
        List<Checkpoint> all = list();
        Set<Path> kept = new HashSet<>();
        for (int i = Math.max(0, all.size() - keep); i < all.size(); i++) {
            kept.add(all.get(i).dir());
        }
        best(all).ifPresent(b -> kept.add(b.dir()));
        for (Checkpoint c : all) {
            if (!kept.contains(c.dir())) {
                ModelBundle.deleteRecursively(c.dir());
            }
        }
    }

    /** The checkpoint with the lowest {@link TrainerState#rankingLoss()}, the earliest on a tie. */
    public static Optional<Checkpoint> best(List<Checkpoint> all) {
        Checkpoint best = null;
        for (Checkpoint c : all) {
            Double l = c.state().rankingLoss();
            if (l != null && Double.isFinite(l) && (best == null || l < best.state().rankingLoss())) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }
}
