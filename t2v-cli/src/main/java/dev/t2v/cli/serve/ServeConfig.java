package dev.t2v.cli.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link WebServer} listens and queues.
 *
 * @param host the address to bind; a loopback address (the default) also makes the server refuse requests whose
 *     {@code Host} header names another host, which defeats DNS rebinding
 * @param port the TCP port; 0 picks a free one
 * @param outDir where each job's files go, one sub-directory per job id
 * @param maxQueue jobs that may wait behind the running one; one more is answered 429
 * @param maxBodyBytes the largest request body accepted; a larger one is answered 413
 * @param maxHistory jobs remembered for the history list; the oldest finished ones are forgotten first
 * @param httpThreads threads answering HTTP requests (generation runs on its own single worker)
 * @param shutdownGrace how long {@link WebServer#close()} waits for a cancelled generation to stop
 */
public record ServeConfig(
        String host,
        int port,
        Path outDir,
        int maxQueue,
        int maxBodyBytes,
        int maxHistory,
        int httpThreads,
        Duration shutdownGrace) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The seed project's Gradio port, kept so old bookmarks still work. */
    public static final int DEFAULT_PORT = 7860;
    /** Room for a burst of 20 browser tabs or scripted requests before any is turned away. */
    public static final int DEFAULT_MAX_QUEUE = 32;
    /** A request is a prompt pair and a few numbers: 16 KB leaves room for two 1000-character prompts in UTF-8. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_HISTORY = 1000;
    public static final int DEFAULT_HTTP_THREADS = 8;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public ServeConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: expected an address, got a blank string");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected in [0, 65535], got " + port);
        }
        if (maxQueue < 1) {
            throw new IllegalArgumentException("maxQueue: expected >= 1, got " + maxQueue);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes: expected >= 1024, got " + maxBodyBytes);
        }
        // Queued and running jobs are never forgotten, so the history must be able to hold them all.
        if (maxHistory < maxQueue + 1) {
            throw new IllegalArgumentException("maxHistory: expected >= maxQueue + 1 = " + (maxQueue + 1) + ", got " + maxHistory);
        }
        if (httpThreads < 1) {
            throw new IllegalArgumentException("httpThreads: expected >= 1, got " + httpThreads);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace: expected >= 0, got " + shutdownGrace);
        }
    }

    /** The defaults: 127.0.0.1:7860, a queue of 32, 16 KB bodies. */
    public static ServeConfig defaults(Path outDir) {
        return new ServeConfig(DEFAULT_HOST, DEFAULT_PORT, outDir, DEFAULT_MAX_QUEUE, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_HISTORY, DEFAULT_HTTP_THREADS, DEFAULT_SHUTDOWN_GRACE);
    }

    public ServeConfig withHost(String v) {
        return new ServeConfig(v, port, outDir, maxQueue, maxBodyBytes, maxHistory, httpThreads, shutdownGrace);
    }

    public ServeConfig withPort(int v) {
        return new ServeConfig(host, v, outDir, maxQueue, maxBodyBytes, maxHistory, httpThreads, shutdownGrace);
    }

    /** Also raises the history to hold the queue when needed. */
    public ServeConfig withMaxQueue(int v) {
        return new ServeConfig(host, port, outDir, v, maxBodyBytes, Math.max(maxHistory, v + 1), httpThreads,
                shutdownGrace);
    }

    public ServeConfig withMaxBodyBytes(int v) {
        return new ServeConfig(host, port, outDir, maxQueue, v, maxHistory, httpThreads, shutdownGrace);
    }

    public ServeConfig withMaxHistory(int v) {
        return new ServeConfig(host, port, outDir, maxQueue, maxBodyBytes, v, httpThreads, shutdownGrace);
    }

    public ServeConfig withShutdownGrace(Duration v) {
        return new ServeConfig(host, port, outDir, maxQueue, maxBodyBytes, maxHistory, httpThreads, v);
    }
}
