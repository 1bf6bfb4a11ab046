package dev.t2v.cli;

import java.nio.file.Path;
import java.util.Optional;

/** Where the commands find a model when {@code --model} is absent. */
public final class DefaultModel {
    /** The message of commands that need a model and find none. */
    public static final String NONE = "no --model given and no bundled demo model";

    private DefaultModel() {
    }

    /**
     * The bundled demo model's directory, if this installation has one. The one place to point at the demo bundle
     * once it ships; until then there is none.
     */
    public static Optional<Path> directory() {
        return Optional.empty();
    }

    /** {@code flagValue} if given, else the demo model; neither is a usage error. */
    static Path resolve(Path flagValue) {
        if (flagValue != null) {
            return flagValue;
        }
        return directory().orElseThrow(() -> new UsageException(NONE + "; pass --model DIR, a model bundle directory"));
    }
}
