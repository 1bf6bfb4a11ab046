package dev.t2v.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point of the {@code t2v} command: {@code t2v <subcommand> [flags]}.
 *
 * <p>Exit codes: 0 success, 2 bad usage or value (the flag named), 1 runtime failure with a one-line cause
 * (the stack trace only with {@code --verbose}, which also turns the libraries' logging up: {@link CliLogging}).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Main(List<Command> commands) {
        commands.forEach(c -> this.commands.put(c.name(), c));
    }

    /** All subcommands, found through {@link ServiceLoader} so each lives in its own file. */
    public static Main withAllCommands() {
        return new Main(ServiceLoader.load(Command.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static void main(String[] args) {
        CliLogging.configure(CliLogging.verbose(args)); // before any class makes a logger
        System.exit(withAllCommands().run(args, System.out, System.err));
    }

    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printUsage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("t2v: unknown subcommand '" + args[0] + "'; expected one of " + String.join(", ", commands.keySet()));
            return USAGE;
        }
        Options options = command.options();
        options.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        options.addOption(Option.builder().longOpt("verbose")
                .desc("log what the libraries do (ND4J, ONNX Runtime, t2v debug lines) and print stack traces on failure")
                .build());
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        boolean verbose = List.of(rest).contains("--verbose");
        CommandLine cmd;
        try {
            cmd = new DefaultParser(false).parse(options, rest);
        } catch (ParseException e) {
            err.println("t2v " + command.name() + ": " + e.getMessage() + " (see t2v " + command.name() + " --help)");
            return USAGE;
        }
        String repeated = repeatedFlag(cmd);
        if (repeated != null) {
            err.println("t2v " + command.name() + ": --" + repeated + " is given more than once; give it once");
            return USAGE;
        }
        if (cmd.hasOption("help")) {
            HelpFormatter help = new HelpFormatter();
            help.setWidth(110);
            help.printHelp(new java.io.PrintWriter(out, true), 110, "t2v " + command.name() + " [flags]",
                    command.summary(), options, 2, 2, "");
            return OK;
        }
        if (!cmd.getArgList().isEmpty()) {
            err.println("t2v " + command.name() + ": unexpected argument '" + cmd.getArgList().get(0) + "'");
            return USAGE;
        }
        try {
            return command.run(cmd, new CliContext(out, err, verbose));
        } catch (UsageException e) {
            err.println("t2v " + command.name() + ": " + e.getMessage());
            return USAGE;
        } catch (Exception | Error e) {
            err.println("t2v " + command.name() + ": " + oneLine(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            return FAILURE;
        }
    }

    /** The first flag given twice (which value wins would be a silent guess), or {@code null}. */
    private static String repeatedFlag(CommandLine cmd) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Option o : cmd.getOptions()) {
            String name = o.getLongOpt() != null ? o.getLongOpt() : o.getOpt();
            if (!seen.add(name)) {
                return name;
            }
        }
        return null;
    }

    /**
     * A file system failure with its reason: {@code AccessDeniedException}'s own message is only the path, which
     * tells a user nothing ("t2v train: /root-owned/run").
     */
    static String describe(java.nio.file.FileSystemException e) {
        if (e.getReason() != null) {
            return e.getMessage();
        }
        return e.getMessage() + ": " + reason(e);
    }

    /** Why a file system operation failed, without the path: "Permission denied", "Read-only file system", ... */
    static String reason(java.nio.file.FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        return e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "File exists"
                : e instanceof java.nio.file.NotDirectoryException ? "Not a directory"
                : e instanceof java.nio.file.DirectoryNotEmptyException ? "Directory not empty"
                : e.getClass().getSimpleName();
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        // unwrap wrappers that add nothing (no message, or UncheckedIOException's copy of the cause's toString)
        while (root.getCause() != null && (root.getMessage() == null
                || root.getMessage().equals(root.getCause().toString()))) {
            root = root.getCause();
        }
        String msg = root instanceof java.nio.file.FileSystemException fse ? describe(fse) : root.getMessage();
        return (msg == null ? root.getClass().getSimpleName() : msg).replace('\n', ' ');
    }

    private void printUsage(PrintStream s) {
        s.println("usage: t2v <subcommand> [flags]   (t2v <subcommand> --help for its flags)");
        s.println();
        commands.values().forEach(c -> s.printf("  %-11s %s%n", c.name(), c.summary()));
    }
}
