package dev.t2v.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page, its script and its style sheet, read once from the class path at start-up: a fixed table from URL path to
 * bytes, so no request can name any other resource.
 */
final class StaticAssets {
    /** A static asset and its media type. */
    record Asset(byte[] body, String contentType) {
    }

    private static final String BASE = "/dev/t2v/cli/serve/";
    private final Map<String, Asset> byPath = new LinkedHashMap<>();

    StaticAssets() {
        add("/", "index.html", "text/html; charset=utf-8");
        add("/app.js", "app.js", "text/javascript; charset=utf-8");
        add("/style.css", "style.css", "text/css; charset=utf-8");
        add("/favicon.svg", "favicon.svg", "image/svg+xml");
    }

    Optional<Asset> get(String rawPath) {
        return Optional.ofNullable(byPath.get(rawPath));
    }

    private void add(String urlPath, String resource, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + resource)) {
            if (in == null) {
                throw new IllegalStateException("web asset " + BASE + resource + " is missing from the class path");
            }
            byPath.put(urlPath, new Asset(in.readAllBytes(), contentType));
        } catch (IOException e) {
            throw new UncheckedIOException("reading web asset " + BASE + resource, e);
        }
    }
}
