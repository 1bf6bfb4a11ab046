package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.cli.serve.WebServer;
import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Command command, String... args) {
        return new Main(List.of(command)).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A one-frame generator that records whether it was closed. */
    static final class ClosableGenerator implements VideoGenerator, AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public Video generate(GenerationRequest request, ProgressListener listener) {
            listener.onProgress("denoise", 1, 1);
            return new Video(List.of(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)), request.fps());
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void serveIsRegisteredWithTheCli() {
        assertThat(Main.withAllCommands().run(new String[] {"serve", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--host", "--port", "--model", "--out", "--max-queue");
    }

    @Test
    void withoutAModelServeRunsTheBundledDemoModel() throws Exception {
        CompletableFuture<WebServer> started = new CompletableFuture<>();
        ServeCommand command = ServeCommand.withDefaultFactory(started::complete);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run(command, "serve", "--port", "0", "--out", tmp.resolve("out").toString()));
        WebServer server = started.get(60, TimeUnit.SECONDS);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        server.close();
        assertThat(exit.get(30, TimeUnit.SECONDS)).as(err()).isEqualTo(Main.OK);
    }

    @Test
    void aFactoryThatCannotLoadTheModelIsReportedAsNoModel() throws Exception {
        Path bundle = Files.createDirectory(tmp.resolve("bundle"));
        AtomicReference<Path> asked = new AtomicReference<>();
        ServeCommand command = new ServeCommand(dir -> {
            asked.set(dir);
            throw new java.io.IOException("model.json missing in " + dir);
        });
        assertThat(run(command, "serve", "--model", bundle.toString(), "--port", "0")).isEqualTo(Main.FAILURE);
        assertThat(asked.get()).isEqualTo(bundle);
        assertThat(err()).contains("no model: model.json missing in " + bundle);
    }

    @Test
    void badFlagValuesAreUsageErrorsNamingTheFlag() throws Exception {
        ServeCommand command = new ServeCommand(dir -> new ClosableGenerator());
        assertThat(run(command, "serve", "--port", "70000")).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--port");
        assertThat(run(command, "serve", "--max-queue", "0")).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--max-queue");
        assertThat(run(command, "serve", "--model", tmp.resolve("absent").toString())).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--model");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThat(run(command, "serve", "--out", file.toString())).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--out");
    }

    @Test
    void aPortInUseFailsWithOneLineAndClosesTheModel() throws Exception {
        ClosableGenerator generator = new ClosableGenerator();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ServeCommand command = new ServeCommand(dir -> generator);
            assertThat(run(command, "serve", "--port", String.valueOf(port), "--out", tmp.toString()))
                    .isEqualTo(Main.FAILURE);
            assertThat(err()).contains("cannot listen on 127.0.0.1:" + port);
            assertThat(err().strip().lines()).hasSize(1);
        }
        assertThat(generator.closed).isTrue();
    }

    @Test
    void serveAnswersUntilStoppedThenClosesTheModel() throws Exception {
        ClosableGenerator generator = new ClosableGenerator();
        CompletableFuture<WebServer> started = new CompletableFuture<>();
        ServeCommand command = new ServeCommand(dir -> generator, started::complete);
        Path outDir = tmp.resolve("out");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run(command, "serve", "--port", "0", "--out", outDir.toString(), "--max-queue", "3"));

        WebServer server = started.get(30, TimeUnit.SECONDS);
        URI uri = server.uri();
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("t2v serve: " + uri, outDir.toAbsolutePath().toString());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> job = client.send(HttpRequest.newBuilder(uri.resolve("/api/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\",\"frames\":1,\"steps\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(job.statusCode()).isEqualTo(202);
        assertThat(generator.closed).isFalse();

        server.close(); // what the shutdown hook does on Ctrl-C
        assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(Main.OK);
        assertThat(generator.closed).isTrue();
        assertThat(outDir).isDirectory();
    }
}
