package dev.t2v.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code t2v info}: versions and the environment the native backends see. */
public final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "print versions, backends and environment";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) {
        ctx.out().println("t2v 0.1.0-SNAPSHOT");
        ctx.out().println("java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        ctx.out().println("OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY")
                + " OPENBLAS_THREAD_TIMEOUT=" + System.getenv("OPENBLAS_THREAD_TIMEOUT"));
        return Main.OK;
    }
}
