package dev.t2v.cli.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.t2v.inference.GenerationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request goes through here: host and origin checks, then a fixed routing table matched against the raw
 * (undecoded) path, so {@code %2e%2e} and {@code ..} segments simply match nothing and get 404.
 *
 * <pre>
 * GET    /  /app.js  /style.css  /favicon.svg      the page
 * GET    /api/defaults                             form defaults and bounds
 * POST   /api/generate        {prompt, ...}        202 {id, state, ahead}; 400 bad field; 413; 415; 429 queue full
 * GET    /api/jobs/{id}                            {id, state, stage, done, total, ahead, error, files, request}
 * DELETE /api/jobs/{id}                            cancel
 * GET    /api/history                              {jobs: [...]} newest first
 * GET    /files/{id}/{video.mp4|video.gif|sheet.png}
 * </pre>
 */
final class Routes implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private static final Pattern BYTE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    /** Scripts, styles, images and media only from this server; no framing, no plugins, no form posts elsewhere. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final JobQueue queue;
    private final StaticAssets assets;
    private final int maxBodyBytes;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final SecureRandom seeds = new SecureRandom();
    private final boolean checkHost;
    private volatile int port;

    Routes(JobQueue queue, StaticAssets assets, int maxBodyBytes, boolean loopbackOnly, Clock clock) {
        this.queue = queue;
        this.assets = assets;
        this.maxBodyBytes = maxBodyBytes;
        this.checkHost = loopbackOnly;
        this.clock = clock;
    }

    /** The bound port, known only after binding; the Host check compares against it. */
    void port(int boundPort) {
        this.port = boundPort;
    }

    @Override
    public void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (HttpError e) {
                sendError(ex, e);
            } catch (IOException e) {
                // The client went away mid-request; nothing to answer.
                LOG.debug("I/O error answering {}", ex.getRequestURI(), e);
            } catch (RuntimeException e) {
                LOG.error("error answering {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
                sendError(ex, new HttpError(500, "internal error: " + JobQueue.oneLine(e)));
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
            throw new HttpError(403, "unexpected Host header; use http://127.0.0.1:" + port + "/");
        }
        String path = ex.getRequestURI().getRawPath();
        if (path == null || !path.startsWith("/")) {
            throw HttpError.notFound();
        }
        Optional<StaticAssets.Asset> asset = assets.get(path);
        if (asset.isPresent()) {
            allow(method, "GET");
            sendAsset(ex, asset.get());
            return;
        }
        String[] seg = path.substring(1).split("/", -1);
        if (seg.length == 2 && seg[0].equals("api")) {
            switch (seg[1]) {
                case "defaults" -> {
                    allow(method, "GET");
                    sendJson(ex, 200, RequestJson.formDefaults(queue.defaults()));
                }
                case "generate" -> {
                    allow(method, "POST");
                    generate(ex);
                }
                case "history" -> {
                    allow(method, "GET");
                    history(ex);
                }
                default -> throw HttpError.notFound();
            }
        } else if (seg.length == 3 && seg[0].equals("api") && seg[1].equals("jobs")) {
            Job job = queue.get(seg[2]).orElseThrow(() -> new HttpError(404, "no job " + seg[2]));
            allow(method, "GET", "DELETE");
            if (method.equals("DELETE")) {
                checkOrigin(ex);
                queue.cancel(job);
            }
            sendJson(ex, 200, JobJson.of(job, queue.ahead(job), clock.instant()));
        } else if (seg.length == 3 && seg[0].equals("files")) {
            Job job = queue.get(seg[1]).orElseThrow(HttpError::notFound);
            OutputFile file = OutputFile.byFileName(seg[2]).orElseThrow(HttpError::notFound);
            allow(method, "GET");
            if (job.status().state() != JobState.DONE) {
                throw HttpError.notFound();
            }
            sendFile(ex, job, file);
        } else {
            throw HttpError.notFound();
        }
    }

    private void generate(HttpExchange ex) throws IOException {
        checkOrigin(ex);
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        // Requiring JSON also keeps other sites out: a cross-site form can only post form or text bodies.
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "expected Content-Type: application/json");
        }
        byte[] body = readBody(ex);
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "malformed JSON: " + e.getOriginalMessage());
        }
        GenerationRequest request = RequestJson.parse(node, seeds::nextLong, queue.defaults());
        Job job;
        try {
            job = queue.submit(request);
        } catch (JobQueue.QueueFullException e) {
            ex.getResponseHeaders().set("Retry-After", "10");
            throw new HttpError(429, e.getMessage());
        } catch (IllegalStateException e) {
            throw new HttpError(503, e.getMessage());
        }
        ObjectNode o = JobJson.of(job, queue.ahead(job), clock.instant());
        ex.getResponseHeaders().set("Location", "/api/jobs/" + job.id());
        sendJson(ex, 202, o);
    }

    private void history(HttpExchange ex) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = o.putArray("jobs");
        for (Job j : queue.history()) {
            arr.add(JobJson.of(j, queue.ahead(j), clock.instant()));
        }
        sendJson(ex, 200, o);
    }

    /** Reads at most {@code maxBodyBytes}; a declared or actual larger body is 413 without reading the rest. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        String tooLarge = "request body larger than " + maxBodyBytes + " bytes";
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    throw new HttpError(413, tooLarge);
                }
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length");
            }
        }
        InputStream in = ex.getRequestBody();
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            throw new HttpError(413, tooLarge);
        }
        return body;
    }

    private boolean hostAllowed(String host) {
        if (!checkHost || host == null) {
            return true; // only browsers matter for DNS rebinding, and they always send Host
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name;
        String portPart;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = h.substring(0, close + 1);
            portPart = h.substring(close + 1);
        } else {
            int colon = h.lastIndexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            portPart = colon < 0 ? "" : h.substring(colon);
        }
        boolean portOk = portPart.isEmpty() ? port == 80 : portPart.equals(":" + port);
        boolean nameOk = name.equals("localhost") || name.equals("[::1]") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        return portOk && nameOk;
    }

    /** State-changing requests from a page on another origin are refused; requests without Origin (curl) pass. */
    private static void checkOrigin(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
            throw new HttpError(403, "cross-origin request refused (Origin " + origin + ")");
        }
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(String.join(", ", allowed));
    }

    /** 405 with the {@code Allow} header. */
    private static final class MethodNotAllowed extends HttpError {
        private final String allow;

        MethodNotAllowed(String allow) {
            super(405, "method not allowed; use " + allow);
            this.allow = allow;
        }
    }

    private static void commonHeaders(Headers h) {
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Content-Security-Policy", CSP);
    }

    private void sendAsset(HttpExchange ex, StaticAssets.Asset a) throws IOException {
        Headers h = ex.getResponseHeaders();
        commonHeaders(h);
        h.set("Content-Type", a.contentType());
        h.set("Cache-Control", "no-cache"); // revalidate, so a new build's page is picked up
        sendBytes(ex, 200, a.body());
    }

    private void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        Headers h = ex.getResponseHeaders();
        commonHeaders(h);
        h.set("Content-Type", "application/json; charset=utf-8");
        h.set("Cache-Control", "no-store"); // status changes from one poll to the next
        sendBytes(ex, status, json.writeValueAsBytes(body));
    }

    private void sendError(HttpExchange ex, HttpError e) {
        if (ex.getResponseCode() != -1) {
            return; // headers already went out; the connection is closed, which the client sees as a failure
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("error", e.getMessage());
        if (e.field() != null) {
            o.put("field", e.field());
        }
        if (e instanceof MethodNotAllowed m) {
            ex.getResponseHeaders().set("Allow", m.allow);
        }
        if (e.status() == 413) {
            ex.getResponseHeaders().set("Connection", "close"); // the unread rest of the body is not worth draining
        }
        try {
            sendJson(ex, e.status(), o);
        } catch (IOException io) {
            LOG.debug("could not send error {}", e.status(), io);
        }
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A job's file, with single byte-range support so a video element can seek. */
    private void sendFile(HttpExchange ex, Job job, OutputFile file) throws IOException {
        Path p = job.dir().resolve(file.fileName());
        long size;
        try {
            size = Files.size(p);
        } catch (NoSuchFileException e) {
            throw HttpError.notFound(); // deleted from --out behind our back
        }
        Headers h = ex.getResponseHeaders();
        commonHeaders(h);
        h.set("Content-Type", file.contentType());
        h.set("Accept-Ranges", "bytes");
        // A job's files never change once it is done.
        h.set("Cache-Control", "private, max-age=86400, immutable");
        h.set("Content-Disposition", "inline; filename=\"t2v-" + job.id() + "-" + file.fileName() + "\"");
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = BYTE_RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                try {
                    if (m.group(1).isEmpty()) { // suffix: the last N bytes
                        start = Math.max(0, size - Long.parseLong(m.group(2)));
                    } else {
                        start = Long.parseLong(m.group(1));
                        if (!m.group(2).isEmpty()) {
                            end = Math.min(end, Long.parseLong(m.group(2)));
                        }
                    }
                } catch (NumberFormatException e) {
                    start = size; // absurdly long digits: unsatisfiable
                }
                if (start >= size || start > end) {
                    h.set("Content-Range", "bytes */" + size);
                    throw new HttpError(416, "range not satisfiable for a " + size + "-byte file");
                }
                status = 206;
                h.set("Content-Range", "bytes " + start + "-" + end + "/" + size);
            } // other forms (several ranges) get the whole file, which RFC 9110 allows
        }
        long length = end - start + 1;
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(p); OutputStream out = ex.getResponseBody()) {
            in.skipNBytes(start);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
