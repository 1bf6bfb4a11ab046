package dev.t2v.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One {@code t2v} subcommand: parse, validate, call the library, report. */
public interface Command {
    /** The word after {@code t2v}, e.g. {@code generate}. */
    String name();

    /** One line for {@code t2v --help}. */
    String summary();

    /** The subcommand's flags; {@code --help} and {@code --verbose} are added by {@link Main}. */
    Options options();

    /**
     * Runs the subcommand.
     *
     * @return the exit code, 0 on success
     * @throws UsageException on a bad flag value (exit 2)
     * @throws Exception on a runtime failure (exit 1, one-line cause)
     */
    int run(CommandLine cmd, CliContext ctx) throws Exception;
}
