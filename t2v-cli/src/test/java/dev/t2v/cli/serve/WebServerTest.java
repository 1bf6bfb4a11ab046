package dev.t2v.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.VideoGenerator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebServerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path out;

    private WebServer server;
    private TestHttp http;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ServeConfig config, VideoGenerator generator) throws IOException {
        server = WebServer.start(config.withPort(0), generator);
        http = new TestHttp(server.uri());
    }

    private void start(VideoGenerator generator) throws IOException {
        start(ServeConfig.defaults(out), generator);
    }

    private String submit(String json) throws Exception {
        TestHttp.Reply r = http.postJson("/api/generate", json);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private JsonNode awaitState(String id, String state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = http.get("/api/jobs/" + id).json();
            if (job.get("state").asText().equals(state)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s never reached %s: %s", id, state, job).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private JsonNode awaitProgress(String id, String stage, int done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = http.get("/api/jobs/" + id).json();
            if (job.get("stage").asText().equals(stage) && job.get("done").asInt() == done) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s never reached %s %d: %s", id, stage, done, job).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void pageAndAssetsAreServedFromTheClassPathWithSecurityHeaders() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));

        TestHttp.Reply page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.text()).contains("id=\"generate-form\"", "src=\"/app.js\"", "href=\"/style.css\"");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        // Offline: nothing on the page may come from another host.
        assertThat(page.text()).doesNotContain("http://", "https://", "//cdn", "fonts.googleapis");

        TestHttp.Reply js = http.get("/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.text()).contains("/api/generate").doesNotContain("innerHTML", "https://");
        TestHttp.Reply css = http.get("/style.css");
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(css.text()).doesNotContain("@import", "url(http");
    }

    @Test
    void generateRunsTheJobAndServesItsFiles() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));

        TestHttp.Reply accepted = http.postJson("/api/generate",
                "{\"prompt\":\"a red square\",\"frames\":6,\"steps\":5,\"guidanceScale\":3.5,\"sampler\":\"ddim\",\"seed\":7}");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String id = accepted.json().get("id").asText();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(accepted.header("Location")).isEqualTo("/api/jobs/" + id);

        JsonNode job = http.awaitFinished(id, WAIT);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("error").isNull()).isTrue();
        assertThat(job.get("stage").asText()).isEqualTo("write");
        assertThat(job.get("done").asInt()).isEqualTo(3);
        assertThat(job.get("total").asInt()).isEqualTo(3);
        JsonNode request = job.get("request");
        assertThat(request.get("prompt").asText()).isEqualTo("a red square");
        assertThat(request.get("frames").asInt()).isEqualTo(6);
        assertThat(request.get("steps").asInt()).isEqualTo(5);
        assertThat(request.get("guidanceScale").asDouble()).isEqualTo(3.5);
        assertThat(request.get("sampler").asText()).isEqualTo("ddim");
        assertThat(request.get("seed").asLong()).isEqualTo(7);
        assertThat(job.get("files").get("gif").asText()).isEqualTo("/files/" + id + "/video.gif");

        TestHttp.Reply gif = http.get(job.get("files").get("gif").asText());
        assertThat(gif.status()).isEqualTo(200);
        assertThat(gif.header("Content-Type")).isEqualTo("image/gif");
        assertThat(new String(gif.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(gif.body()));
        assertThat(first.getWidth()).isEqualTo(MovingSquareGenerator.SIZE);
        GenerationRequest asSent = GenerationRequest.builder("a red square").frames(6).steps(5).seed(7).build();
        int[] at = MovingSquareGenerator.squareAt(asSent, 0);
        int rgb = first.getRGB(at[0] + MovingSquareGenerator.SQUARE / 2, at[1] + MovingSquareGenerator.SQUARE / 2);
        assertThat((rgb >> 16) & 0xff).as("red channel inside the square").isGreaterThan(180);
        assertThat(rgb & 0xff).as("blue channel inside the square").isLessThan(90);

        TestHttp.Reply sheet = http.get(job.get("files").get("sheet").asText());
        assertThat(sheet.header("Content-Type")).isEqualTo("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(sheet.body())).getWidth())
                .isGreaterThan(2 * MovingSquareGenerator.SIZE);

        TestHttp.Reply mp4 = http.get(job.get("files").get("mp4").asText());
        assertThat(mp4.header("Content-Type")).isEqualTo("video/mp4");
        assertThat(new String(mp4.body(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(mp4.header("Content-Disposition")).contains("t2v-" + id + "-video.mp4");
        assertThat(Files.readAllBytes(out.resolve(id).resolve("video.mp4"))).isEqualTo(mp4.body());
    }

    @Test
    void aSingleFrameJobStillWritesAllThreeFiles() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String id = submit("{\"prompt\":\"one\",\"frames\":1,\"steps\":1}");
        assertThat(http.awaitFinished(id, WAIT).get("state").asText()).isEqualTo("done");
        for (OutputFile f : OutputFile.values()) {
            assertThat(http.get(JobJson.fileUrl(id, f)).status()).as(f.fileName()).isEqualTo(200);
        }
    }

    @Test
    void progressIsReportedForEveryStep() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(gen);
        String id = submit("{\"prompt\":\"blue\",\"steps\":4,\"frames\":2,\"seed\":1}");

        assertThat(awaitProgress(id, "encode", 1).get("state").asText()).isEqualTo("running");
        for (int step = 1; step <= 3; step++) {
            gen.release(1);
            JsonNode job = awaitProgress(id, "denoise", step);
            assertThat(job.get("total").asInt()).isEqualTo(4);
            assertThat(job.get("state").asText()).isEqualTo("running");
            assertThat(job.get("elapsedMs").asLong()).isNotNegative();
        }
        gen.release(1); // the last step: decoding and writing follow without a pause
        assertThat(http.awaitFinished(id, WAIT).get("state").asText()).isEqualTo("done");
    }

    @Test
    void jobsRunOneAtATimeInSubmissionOrderAndHistoryListsThemNewestFirst() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(gen);
        String a = submit("{\"prompt\":\"first\",\"steps\":1,\"frames\":2}");
        awaitState(a, "running");
        String b = submit("{\"prompt\":\"second\",\"steps\":1,\"frames\":2}");
        String c = submit("{\"prompt\":\"third\",\"steps\":1,\"frames\":2}");

        assertThat(http.get("/api/jobs/" + b).json().get("ahead").asInt()).isEqualTo(1);
        assertThat(http.get("/api/jobs/" + c).json().get("ahead").asInt()).isEqualTo(2);
        assertThat(http.get("/api/jobs/" + c).json().get("state").asText()).isEqualTo("queued");
        assertThat(gen.started()).isEqualTo(1);

        JsonNode history = http.get("/api/history").json().get("jobs");
        assertThat(history).extracting(j -> j.get("id").asText()).containsExactly(c, b, a);
        assertThat(history).extracting(j -> j.get("state").asText()).containsExactly("queued", "queued", "running");

        gen.openAll();
        for (String id : List.of(a, b, c)) {
            assertThat(http.awaitFinished(id, WAIT).get("state").asText()).isEqualTo("done");
        }
        assertThat(gen.started()).isEqualTo(3);
    }

    @Test
    void twentyConcurrentRequestsAreAllAnsweredOrQueued() throws Exception {
        MovingSquareGenerator gen = new MovingSquareGenerator(Duration.ZERO);
        start(gen);
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<TestHttp.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "{\"prompt\":\"square " + i + "\",\"frames\":3,\"steps\":2,\"seed\":" + i + "}";
                replies.add(pool.submit(() -> {
                    go.await();
                    return http.postJson("/api/generate", body);
                }));
            }
            go.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<TestHttp.Reply> f : replies) {
                TestHttp.Reply r = f.get();
                assertThat(r.status()).as(r.text()).isEqualTo(202);
                ids.add(r.json().get("id").asText());
            }
            assertThat(ids).hasSize(n);
            for (String id : ids) {
                assertThat(http.awaitFinished(id, WAIT).get("state").asText()).isEqualTo("done");
            }
            assertThat(http.get("/api/history").json().get("jobs")).hasSize(n);
            assertThat(gen.calls()).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullQueueIsAnswered429WithAMessageAndRecovers() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(ServeConfig.defaults(out).withMaxQueue(2), gen);
        String running = submit("{\"prompt\":\"a\",\"steps\":1,\"frames\":2}");
        awaitState(running, "running");
        submit("{\"prompt\":\"b\",\"steps\":1,\"frames\":2}");
        submit("{\"prompt\":\"c\",\"steps\":1,\"frames\":2}");

        TestHttp.Reply full = http.postJson("/api/generate", "{\"prompt\":\"d\",\"steps\":1,\"frames\":2}");
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.json().get("error").asText()).contains("queue is full");
        assertThat(full.header("Retry-After")).isNotBlank();
        assertThat(http.get("/api/history").json().get("jobs")).hasSize(3);

        gen.openAll();
        http.awaitFinished(running, WAIT);
        String later = submit("{\"prompt\":\"e\",\"steps\":1,\"frames\":2}");
        assertThat(http.awaitFinished(later, WAIT).get("state").asText()).isEqualTo("done");
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\":\"x\",\"frames\":0}                | frames",
        "{\"prompt\":\"x\",\"frames\":513}              | frames",
        "{\"prompt\":\"x\",\"frames\":2.5}              | frames",
        "{\"prompt\":\"x\",\"frames\":\"8\"}            | frames",
        "{\"prompt\":\"x\",\"frames\":99999999999}      | frames",
        "{\"prompt\":\"x\",\"steps\":0}                 | steps",
        "{\"prompt\":\"x\",\"steps\":5000}              | steps",
        "{\"prompt\":\"x\",\"guidanceScale\":31}        | guidanceScale",
        "{\"prompt\":\"x\",\"guidanceScale\":-1}        | guidanceScale",
        "{\"prompt\":\"x\",\"fps\":0}                   | fps",
        "{\"prompt\":\"x\",\"sampler\":\"euler\"}       | sampler",
        "{\"prompt\":\"x\",\"sampler\":3}               | sampler",
        "{\"prompt\":\"x\",\"seed\":-1}                 | seed",
        "{\"prompt\":\"x\",\"seed\":9007199254740992}   | seed",
        "{\"prompt\":\"x\",\"eta\":2}                   | eta",
        "{\"prompt\":\"x\",\"negativePrompt\":[1]}      | negativePrompt",
        "{\"prompt\":\"x\",\"width\":512}               | width",
        "{\"frames\":8}                                  | prompt",
        "{\"prompt\":\"x\",\"guidanceInterval\":\"700,0\"} | guidanceInterval",
        "{\"prompt\":\"x\",\"guidanceInterval\":7}      | guidanceInterval",
        "{\"prompt\":3}                                  | prompt",
        "{\"prompt\":null}                               | prompt",
    })
    void outOfRangeOrMistypedValuesGet400NamingTheField(String body, String field) throws Exception {
        MovingSquareGenerator gen = new MovingSquareGenerator(Duration.ZERO);
        start(gen);
        TestHttp.Reply r = http.postJson("/api/generate", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("error").asText()).startsWith(field + ":");
        assertThat(http.get("/api/history").json().get("jobs")).isEmpty();
    }

    @Test
    void theFormShowsTheModelsDefaultsIncludingTheGuidanceIntervalAndHoldsNoneOfItsOwn() throws Exception {
        GenerationDefaults bundle = new GenerationDefaults(4, 8, "ddim", 12, 7.5,
                dev.t2v.core.diffusion.GuidanceInterval.parse("0,850"));
        start(new VideoGenerator() {
            @Override
            public dev.t2v.data.video.Video generate(GenerationRequest r, dev.t2v.inference.ProgressListener l) {
                throw new UnsupportedOperationException();
            }

            @Override
            public GenerationDefaults defaults() {
                return bundle;
            }
        });
        String page = http.get("/").text();
        assertThat(page).contains("id=\"guidanceInterval\"").doesNotContain("value=\"5\"", "value=\"20\"",
                "required");
        JsonNode defaults = http.get("/api/defaults").json().get("defaults");
        assertThat(defaults.get("guidanceScale").asDouble()).isEqualTo(7.5);
        assertThat(defaults.get("steps").asInt()).isEqualTo(12);
        assertThat(defaults.get("sampler").asText()).isEqualTo("ddim");
        assertThat(defaults.get("guidanceInterval").asText()).isEqualTo("0,850");
    }

    @Test
    void anEmptyPromptIsAcceptedAsAnUnconditionalRequest() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String id = submit("{\"prompt\":\"\",\"steps\":1,\"frames\":2,\"guidanceInterval\":\"0,500\"}");
        JsonNode job = http.awaitFinished(id, WAIT);
        assertThat(job.get("state").asText()).isEqualTo("done");
        assertThat(job.get("request").get("prompt").asText()).isEmpty();
        assertThat(job.get("request").get("guidanceInterval").asText()).isEqualTo("0,500");
    }

    @Test
    void anOverlongPromptGets400WithTheLimit() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String prompt = "p".repeat(GenerationRequest.MAX_PROMPT_CHARS + 1);
        TestHttp.Reply r = http.postJson("/api/generate", "{\"prompt\":\"" + prompt + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("prompt: expected at most 1000 characters, got 1001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"prompt\":", "[\"prompt\"]", "{\"prompt\":\"a\",\"prompt\":\"b\"}", "{\"prompt\":\"a\"} {}", ""})
    void malformedJsonGets400(String body) throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        TestHttp.Reply r = http.postJson("/api/generate", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isNotBlank();
    }

    @Test
    void aMissingSeedIsChosenAndReportedSoTheResultCanBeReproduced() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String id = submit("{\"prompt\":\"x\",\"frames\":2,\"steps\":1}");
        long seed = http.get("/api/jobs/" + id).json().get("request").get("seed").asLong();
        assertThat(seed).isBetween(0L, RequestJson.MAX_SEED);
        JsonNode defaults = http.get("/api/defaults").json();
        assertThat(defaults.get("samplers")).extracting(JsonNode::asText).containsExactlyInAnyOrder("ddpm", "ddim", "dpmpp");
        assertThat(defaults.get("limits").get("frames").get("max").asInt()).isEqualTo(GenerationRequest.MAX_FRAMES);
        assertThat(defaults.get("defaults").has("seed")).isFalse();
    }

    @Test
    void traversalAndUnknownFilePathsGet404() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        Files.writeString(out.resolve("secret.txt"), "secret");
        String id = submit("{\"prompt\":\"x\",\"frames\":2,\"steps\":1}");
        http.awaitFinished(id, WAIT);
        Files.writeString(out.resolve(id).resolve("notes.txt"), "not an output");
        int port = server.port();

        assertThat(TestHttp.rawGet(port, "/files/" + id + "/video.gif")).as("control").isEqualTo(200);
        List<String> paths = List.of(
                "/files/" + id + "/../secret.txt",
                "/files/" + id + "/..%2fsecret.txt",
                "/files/" + id + "/%2e%2e%2fsecret.txt",
                "/files/" + id + "/%2e%2e/secret.txt",
                "/files/" + id + "/..%5csecret.txt",
                "/files/" + id + "/video.gif/../../secret.txt",
                "/files/" + id + "/notes.txt",
                "/files/" + id + "/VIDEO.GIF",
                "/files/" + id + "/video.gif%00.txt",
                "/files/" + id + "/",
                "/files/" + id,
                "/files/..%2f" + id + "/video.gif",
                "/files/../secret.txt",
                "/files/%2e%2e/secret.txt",
                "/../../../../etc/passwd",
                "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/..%2f..%2f..%2fetc%2fpasswd",
                "/app.js/../../pom.xml",
                "/dev/t2v/cli/serve/index.html",
                "/index.html",
                "//etc/passwd",
                "/api/jobs/" + id + "/../../files",
                "/api/jobs/..%2f" + id);
        for (String p : paths) {
            assertThat(TestHttp.rawGet(port, p)).as(p).isEqualTo(404);
        }
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String big = "{\"prompt\":\"" + "a".repeat(ServeConfig.DEFAULT_MAX_BODY_BYTES) + "\"}";

        TestHttp.Reply declared = http.postJson("/api/generate", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("error").asText()).contains("larger than " + ServeConfig.DEFAULT_MAX_BODY_BYTES);

        // Chunked, no Content-Length: the limit applies to what arrives.
        TestHttp.Reply chunked = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        assertThat(chunked.status()).isEqualTo(413);

        assertThat(http.get("/api/history").json().get("jobs")).isEmpty();
        assertThat(http.get("/").status()).isEqualTo(200);
    }

    @Test
    void unknownJobsGet404() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        TestHttp.Reply r = http.get("/api/jobs/0123456789abcdef");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).contains("no job");
        assertThat(http.get("/api/jobs/not-a-job").status()).isEqualTo(404);
        assertThat(http.get("/files/0123456789abcdef/video.gif").status()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/api/jobs/0123456789abcdef")).DELETE())
                .status()).isEqualTo(404);
        assertThat(http.get("/api/nothing").status()).isEqualTo(404);
    }

    @Test
    void filesOfAnUnfinishedJobGet404() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(gen);
        String id = submit("{\"prompt\":\"x\",\"steps\":2,\"frames\":2}");
        awaitState(id, "running");
        assertThat(http.get("/files/" + id + "/video.gif").status()).isEqualTo(404);
        assertThat(http.get("/api/jobs/" + id).json().get("files").size()).isZero();
        gen.openAll();
        http.awaitFinished(id, WAIT);
        assertThat(http.get("/files/" + id + "/video.gif").status()).isEqualTo(200);
    }

    @Test
    void wrongMethodsGet405WithAllow() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        TestHttp.Reply getGenerate = http.get("/api/generate");
        assertThat(getGenerate.status()).isEqualTo(405);
        assertThat(getGenerate.header("Allow")).isEqualTo("POST");
        TestHttp.Reply postPage = http.postJson("/", "{}");
        assertThat(postPage.status()).isEqualTo(405);
        assertThat(postPage.header("Allow")).isEqualTo("GET");
        TestHttp.Reply deleteHistory = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/history")).DELETE());
        assertThat(deleteHistory.status()).isEqualTo(405);
    }

    @Test
    void nonJsonBodiesGet415() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            TestHttp.Reply r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/generate"))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\"}")));
            assertThat(r.status()).as(type).isEqualTo(415);
        }
        assertThat(http.get("/api/history").json().get("jobs")).isEmpty();
    }

    @Test
    void crossOriginPostsAndForeignHostsAreRefused() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        int port = server.port();
        String body = "{\"prompt\":\"x\",\"frames\":2,\"steps\":1}";
        String post = "POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n";
        assertThat(TestHttp.rawStatus(port, post + "Origin: http://evil.example\r\n\r\n" + body)).isEqualTo(403);
        assertThat(TestHttp.rawStatus(port, post + "Origin: null\r\n\r\n" + body)).isEqualTo(403);
        assertThat(TestHttp.rawStatus(port, post + "Origin: http://127.0.0.1:" + port + "\r\n\r\n" + body)).isEqualTo(202);

        // DNS rebinding: a page from evil.example whose name now points here still sends its own Host.
        String get = "GET /api/history HTTP/1.1\r\nConnection: close\r\nHost: ";
        assertThat(TestHttp.rawStatus(port, get + "evil.example:" + port + "\r\n\r\n")).isEqualTo(403);
        assertThat(TestHttp.rawStatus(port, get + "127.0.0.1:" + (port + 1) + "\r\n\r\n")).isEqualTo(403);
        assertThat(TestHttp.rawStatus(port, get + "localhost:" + port + "\r\n\r\n")).isEqualTo(200);
        assertThat(TestHttp.rawStatus(port, get + "127.0.0.1:" + port + "\r\n\r\n")).isEqualTo(200);
    }

    @Test
    void statusAnswersAreJsonAndNeverCached() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String id = submit("{\"prompt\":\"x\",\"frames\":2,\"steps\":1}");
        for (String path : List.of("/api/jobs/" + id, "/api/history", "/api/defaults", "/api/jobs/0123456789abcdef")) {
            TestHttp.Reply r = http.get(path);
            assertThat(r.header("Content-Type")).as(path).isEqualTo("application/json; charset=utf-8");
            assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        }
    }

    @Test
    void aFailingGenerationFailsOnlyItsJob() throws Exception {
        MovingSquareGenerator squares = new MovingSquareGenerator(Duration.ZERO);
        start((request, listener) -> {
            if (request.prompt().equals("boom")) {
                throw new IllegalStateException("model exploded at step 3");
            }
            return squares.generate(request, listener);
        });
        String bad = submit("{\"prompt\":\"boom\",\"frames\":2,\"steps\":1}");
        String good = submit("{\"prompt\":\"fine\",\"frames\":2,\"steps\":1}");
        JsonNode failed = http.awaitFinished(bad, WAIT);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).isEqualTo("model exploded at step 3");
        assertThat(failed.get("files").size()).isZero();
        assertThat(http.awaitFinished(good, WAIT).get("state").asText()).isEqualTo("done");
    }

    @Test
    void cancellingStopsARunningJobAtItsNextStepAndSkipsAQueuedOne() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(gen);
        String running = submit("{\"prompt\":\"a\",\"steps\":5,\"frames\":2}");
        awaitState(running, "running");
        String queued = submit("{\"prompt\":\"b\",\"steps\":1,\"frames\":2}");
        String next = submit("{\"prompt\":\"c\",\"steps\":1,\"frames\":2}");

        TestHttp.Reply cancelQueued = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/jobs/" + queued)).DELETE());
        assertThat(cancelQueued.status()).isEqualTo(200);
        assertThat(cancelQueued.json().get("state").asText()).isEqualTo("cancelled");
        http.send(HttpRequest.newBuilder(server.uri().resolve("/api/jobs/" + running)).DELETE());
        gen.release(1); // the running job reports its next step and stops there

        JsonNode stopped = http.awaitFinished(running, WAIT);
        assertThat(stopped.get("state").asText()).isEqualTo("cancelled");
        gen.openAll();
        assertThat(http.awaitFinished(next, WAIT).get("state").asText()).isEqualTo("done");
        assertThat(gen.started()).as("the cancelled queued job never started").isEqualTo(2);
        assertThat(out.resolve(running)).doesNotExist();
    }

    @Test
    void byteRangesAreServedForVideoSeeking() throws Exception {
        start(new MovingSquareGenerator(Duration.ZERO));
        String id = submit("{\"prompt\":\"x\",\"frames\":2,\"steps\":1}");
        http.awaitFinished(id, WAIT);
        byte[] whole = Files.readAllBytes(out.resolve(id).resolve("video.mp4"));
        URI mp4 = server.uri().resolve("/files/" + id + "/video.mp4");

        TestHttp.Reply part = http.send(HttpRequest.newBuilder(mp4).header("Range", "bytes=4-11"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 4-11/" + whole.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 4, 12));
        TestHttp.Reply tail = http.send(HttpRequest.newBuilder(mp4).header("Range", "bytes=-10"));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));
        TestHttp.Reply beyond = http.send(HttpRequest.newBuilder(mp4).header("Range", "bytes=" + whole.length + "-"));
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */" + whole.length);
    }

    @Test
    void theOldestFinishedJobsAreForgottenBeyondTheHistoryLimit() throws Exception {
        start(ServeConfig.defaults(out).withMaxQueue(1).withMaxHistory(2), new MovingSquareGenerator(Duration.ZERO));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = submit("{\"prompt\":\"x" + i + "\",\"frames\":2,\"steps\":1}");
            http.awaitFinished(id, WAIT);
            ids.add(id);
        }
        assertThat(http.get("/api/history").json().get("jobs")).extracting(j -> j.get("id").asText())
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(http.get("/api/jobs/" + ids.get(0)).status()).isEqualTo(404);
        assertThat(http.get("/files/" + ids.get(0) + "/video.gif").status()).isEqualTo(404);
        assertThat(out.resolve(ids.get(0)).resolve("video.gif")).as("files stay on disk").exists();
    }

    @Test
    void closeCancelsWorkStopsTheWorkerAndRefusesConnections() throws Exception {
        GatedGenerator gen = new GatedGenerator();
        start(gen);
        String running = submit("{\"prompt\":\"a\",\"steps\":3,\"frames\":2}");
        awaitState(running, "running");
        String queued = submit("{\"prompt\":\"b\",\"steps\":1,\"frames\":2}");
        // slf4j-simple (the CLI's binding) writes to whatever System.err is at the time.
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            server.close();
        } finally {
            System.setErr(stderr);
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).as("a dropped job is logged")
                .contains("WARN JobQueue - the server stopped: dropped queued job " + queued);
        assertThat(server.workerStopped()).isTrue();
        assertThat(gen.started()).isEqualTo(1);
        assertThatThrownBy(() -> http.get("/")).isInstanceOf(ConnectException.class);
        server.close(); // idempotent
    }
}
