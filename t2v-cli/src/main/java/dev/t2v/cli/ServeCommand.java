package dev.t2v.cli;

import dev.t2v.cli.serve.ServeConfig;
import dev.t2v.cli.serve.WebServer;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.VideoGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code t2v serve}: the web UI on 127.0.0.1:7860 until Ctrl-C. */
public final class ServeCommand implements Command {
    /** Opens the generator the server runs. */
    @FunctionalInterface
    public interface GeneratorFactory {
        /**
         * @param modelDir the {@code --model} directory, or null when the flag is absent
         * @return the generator; if it is {@link AutoCloseable} the command closes it on shutdown
         * @throws Exception when no generator can be made; the command reports "no model: " and the message
         */
        VideoGenerator open(Path modelDir) throws Exception;
    }

    /** What {@code t2v serve} opens: the generation pipeline on the bundle (or the demo model without --model). */
    private static final GeneratorFactory DEFAULT_FACTORY = ServeCommand::openPipeline;

    private final GeneratorFactory factory;
    private final Consumer<WebServer> onStarted;

    /** The command as the CLI registers it. */
    public ServeCommand() {
        this(DEFAULT_FACTORY);
    }

    public ServeCommand(GeneratorFactory factory) {
        this(factory, server -> { });
    }

    /** The default model, and {@code onStarted} sees the running server (tests use it to stop the command). */
    static ServeCommand withDefaultFactory(Consumer<WebServer> onStarted) {
        return new ServeCommand(DEFAULT_FACTORY, onStarted);
    }

    /** {@code onStarted} sees the running server (tests use it to stop the command). */
    ServeCommand(GeneratorFactory factory, Consumer<WebServer> onStarted) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.onStarted = Objects.requireNonNull(onStarted, "onStarted");
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "web UI: generate videos from a browser (http://127.0.0.1:7860/)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("host").hasArg().argName("ADDR")
                .desc("address to bind (default " + ServeConfig.DEFAULT_HOST + "; a non-loopback address exposes the"
                        + " UI to the network)").build());
        o.addOption(Option.builder().longOpt("port").hasArg().argName("N")
                .desc("TCP port (default " + ServeConfig.DEFAULT_PORT + "; 0 picks a free one)").build());
        o.addOption(Option.builder().longOpt("model").hasArg().argName("DIR")
                .desc("model bundle directory (default: the bundled demo model); runs on ONNX Runtime").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("where generated files go (default a new temporary directory)").build());
        o.addOption(Option.builder().longOpt("max-queue").hasArg().argName("N")
                .desc("jobs that may wait behind the running one; more get HTTP 429 (default "
                        + ServeConfig.DEFAULT_MAX_QUEUE + ")").build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        String host = cmd.getOptionValue("host", ServeConfig.DEFAULT_HOST).trim();
        if (host.isEmpty()) {
            throw UsageException.badValue("host", host, "an address such as 127.0.0.1");
        }
        int port = Flags.intIn(cmd, "port", ServeConfig.DEFAULT_PORT, 0, 65535);
        int maxQueue = Flags.intIn(cmd, "max-queue", ServeConfig.DEFAULT_MAX_QUEUE, 1, 100_000);
        Path modelDir = cmd.hasOption("model") ? Flags.existing(cmd, "model") : null;
        if (modelDir != null && !Files.isDirectory(modelDir)) {
            throw UsageException.badValue("model", modelDir.toString(), "a model bundle directory");
        }
        Path out = cmd.hasOption("out") ? Path.of(Flags.required(cmd, "out")) : null;
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a directory");
        }

        VideoGenerator generator = openGenerator(modelDir);
        WebServer server;
        Path outDir;
        try {
            outDir = out != null ? out : Files.createTempDirectory("t2v-serve-");
            ServeConfig config = ServeConfig.defaults(outDir).withHost(host).withPort(port).withMaxQueue(maxQueue);
            server = WebServer.start(config, generator);
        } catch (IOException | RuntimeException e) {
            closeQuietly(generator, ctx);
            throw e;
        }
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                server.close();
                // Closing native handles under a generation that is still running would crash the JVM.
                if (server.workerStopped()) {
                    closeQuietly(generator, ctx);
                }
            }
        };
        Thread hook = new Thread(stop, "t2v-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ctx.out().println("t2v serve: " + server.uri() + "  (files in " + outDir.toAbsolutePath() + "; Ctrl-C to stop)");
        ctx.out().flush();
        try {
            onStarted.accept(server);
            server.awaitClosed();
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running or has run.
            }
        }
        return Main.OK;
    }

    private VideoGenerator openGenerator(Path modelDir) {
        VideoGenerator g;
        try {
            g = factory.open(modelDir);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalStateException("no model: " + msg, e);
        }
        if (g == null) {
            throw new IllegalStateException("no model: the generator factory returned none"
                    + (modelDir == null ? "" : " for " + modelDir));
        }
        return g;
    }

    private static VideoGenerator openPipeline(Path modelDir) throws java.io.IOException {
        Path dir = modelDir != null ? modelDir : DefaultModel.directory().orElseThrow(
                () -> new IllegalStateException(DefaultModel.NONE + "; pass --model DIR, a model bundle directory"));
        return TextToVideoPipeline.load(dir, dev.t2v.inference.Backend.ORT);
    }

    private static void closeQuietly(VideoGenerator generator, CliContext ctx) {
        if (generator instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                ctx.err().println("t2v serve: closing the model: " + e.getMessage());
            }
        }
    }
}
