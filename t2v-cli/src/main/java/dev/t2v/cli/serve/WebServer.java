package dev.t2v.cli.serve;

import com.sun.net.httpserver.HttpServer;
import dev.t2v.inference.VideoGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code t2v serve} web UI: one page plus a small JSON API in front of a {@link VideoGenerator}, on the JDK's
 * built-in HTTP server. Jobs run one at a time behind a bounded queue; see {@link Routes} for the endpoints.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.start(ServeConfig.defaults(outDir), generator)) {
 *     System.out.println(server.uri());
 *     server.awaitClosed();
 * }
 * }</pre>
 *
 * <p>The server does not own the generator: the caller closes it after the server, once {@link #workerStopped()}.
 */
public final class WebServer implements AutoCloseable {
    /** How long close() lets in-flight HTTP answers (a download, say) finish. */
    private static final long HTTP_DRAIN_SECONDS = 5;

    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final JobQueue queue;
    private final URI uri;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object closeLock = new Object();

    private WebServer(HttpServer http, ExecutorService httpThreads, JobQueue queue, URI uri) {
        this.http = http;
        this.httpThreads = httpThreads;
        this.queue = queue;
        this.uri = uri;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException naming the address when it cannot be bound (e.g. the port is in use) or the output
     *     directory cannot be created
     */
    public static WebServer start(ServeConfig config, VideoGenerator generator) throws IOException {
        Objects.requireNonNull(generator, "generator");
        Files.createDirectories(config.outDir());
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve host " + config.host());
        }
        InetAddress ip = address.getAddress();
        Clock clock = Clock.systemUTC();
        StaticAssets assets = new StaticAssets();
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        JobQueue queue = new JobQueue(generator, config.outDir(), config.maxQueue(), config.maxHistory(),
                config.shutdownGrace(), clock);
        Routes routes = new Routes(queue, assets, config.maxBodyBytes(), ip.isLoopbackAddress(), clock);
        int port = http.getAddress().getPort();
        routes.port(port);
        http.createContext("/", routes);
        ExecutorService threads = Executors.newFixedThreadPool(config.httpThreads(), daemonThreads());
        http.setExecutor(threads);
        http.start();
        String host = ip.isAnyLocalAddress() ? "127.0.0.1"
                : ip.getHostAddress().contains(":") ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return new WebServer(http, threads, queue, URI.create("http://" + host + ":" + port + "/"));
    }

    /** The page's address, e.g. {@code http://127.0.0.1:7860/}. */
    public URI uri() {
        return uri;
    }

    public int port() {
        return uri.getPort();
    }

    /** Blocks until {@link #close()} has finished (from another thread or a shutdown hook). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Whether generation has stopped, so the generator may be closed. */
    public boolean workerStopped() {
        return queue.workerStopped();
    }

    /**
     * Stops listening, cancels the running job (it stops at its next progress report), ends queued jobs as cancelled
     * and waits for the worker up to {@link ServeConfig#shutdownGrace()}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed.getCount() == 0) {
                return;
            }
            http.stop(0);
            queue.close();
            httpThreads.shutdown();
            try {
                if (!httpThreads.awaitTermination(HTTP_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                    httpThreads.shutdownNow(); // a client stuck mid-download
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                httpThreads.shutdownNow();
            }
            closed.countDown();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "t2v-serve-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
