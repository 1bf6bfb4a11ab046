package dev.t2v.cli;

import java.io.PrintStream;

/** Where a command writes: results on {@code out}, progress and errors on {@code err}. */
public record CliContext(PrintStream out, PrintStream err, boolean verbose) {}
