package dev.t2v.cli;

import dev.t2v.inference.DemoModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Where the commands find a model when {@code --model} is absent. */
public final class DefaultModel {
    /** The message of commands that need a model and find none. */
    public static final String NONE = "no --model given and no bundled demo model";

    private DefaultModel() {
    }

    /** The bundled demo model's directory ({@link DemoModel}, extracted on first use), if the class path has one. */
    public static Optional<Path> directory() {
        if (!DemoModel.available()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DemoModel.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled demo model: " + e.getMessage(), e);
        }
    }

    /** {@code flagValue} if given, else the demo model; neither is a usage error. */
    static Path resolve(Path flagValue) {
        if (flagValue != null) {
            return flagValue;
        }
        return directory().orElseThrow(() -> new UsageException(NONE + "; pass --model DIR, a model bundle directory"));
    }
}
