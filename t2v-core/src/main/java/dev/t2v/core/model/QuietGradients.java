package dev.t2v.core.model;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** Builds a SameDiff backward graph without its console noise. */
public final class QuietGradients {
    private QuietGradients() {
    }

    /**
     * {@code sd.createGradFunction()} with {@code System.out} muted: SameDiff M2.1 prints a line per differentiated op
     * (an unconditional println), which would flood a command's output. Synchronised on {@code System.class} so two
     * graphs built at once cannot restore each other's muted stream.
     */
    public static void create(SameDiff sd) {
        synchronized (System.class) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
