package dev.t2v.data.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.preprocess.BadVideo;
import dev.t2v.data.preprocess.OutputStore;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.data.preprocess.PreprocessModels;
import dev.t2v.data.preprocess.PreprocessSummary;
import dev.t2v.data.preprocess.Preprocessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job on 42 synthetic videos, five of them bad, against {@code t2v preprocess}'s {@link Preprocessor} on the
 * same input: through {@link SparkEngine} on {@code local[2]}, and with injected faults on {@code local[2,2]} (2 task
 * threads, each task tried up to twice; plain {@code local[N]} never retries).
 */
class SparkPreprocessTest {
    private static final int VIDEOS = 42;
    private static final int PER_SHARD = 4;
    private static final int SHARDS = 11;
    /** Tasks that failed on purpose, counted across the task threads of this JVM. */
    private static final AtomicInteger INJECTED = new AtomicInteger();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static PreprocessModels models;
    static PreprocessConfig settings;
    static Path reference;
    static PreprocessSummary referenceSummary;

    @BeforeAll
    static void referenceRunAndSparkContext() throws IOException {
        Path data = PreprocessFixtures.syntheticSet(shared.resolve("data"), VIDEOS);
        PreprocessFixtures.spoilVideos(data.resolve("videos"), "video3", "video7", "video11", "video20", "video33");
        PreprocessFixtures.Models files = PreprocessFixtures.tinyModels(shared.resolve("models"));
        models = new PreprocessModels(files.text().model(), files.text().tokenizer(),
                PreprocessFixtures.BERT_MAX_TOKENS, files.vae().dir(), null, null, OnnxVae.SD_SCALING_FACTOR);
        settings = PreprocessConfig.defaults(data, shared.resolve("unused")).withClip(8, 8, PreprocessFixtures.SIZE, 2)
                .withVideosPerShard(PER_SHARD);

        reference = shared.resolve("reference");
        try (TextEncoder text = models.openText(); LatentCodec codec = models.openCodec()) {
            referenceSummary = new Preprocessor(settings.withOut(reference).withThreads(2), text, codec,
                    PreprocessFixtures.FIXED_CLOCK, null).run();
        }

        // SparkConf reads spark.* system properties, SparkEngine's context too: no web UI, scratch space in the test's.
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.local.dir", shared.resolve("spark-local").toString());
    }

    @AfterAll
    static void clearSparkProperties() {
        System.clearProperty("spark.ui.enabled");
        System.clearProperty("spark.local.dir");
    }

    /** A context that retries a failed task once. */
    private static JavaSparkContext retryingContext() {
        return new JavaSparkContext(SparkPreprocess.configure(new SparkConf()).setMaster("local[2,2]")
                .setAppName("SparkPreprocessTest").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    private static SparkPreprocessJob job(Path out) {
        return SparkPreprocessJob.local(settings.withOut(out), models);
    }

    private static PreprocessSummary spark(JavaSparkContext sc, Path out, TaskOutput taskOutput) throws IOException {
        return SparkPreprocess.run(sc, job(out), PreprocessFixtures.FIXED_CLOCK, taskOutput);
    }

    /** Every file under {@code actual} has the bytes of the same file under {@code expected}, and no file is extra. */
    private static void assertSameFiles(Path actual, Path expected) throws IOException {
        Map<String, byte[]> a = PreprocessFixtures.tree(actual, DatasetFiles.SUMMARY);
        Map<String, byte[]> e = PreprocessFixtures.tree(expected, DatasetFiles.SUMMARY);
        assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
        e.forEach((name, bytes) -> assertThat(a.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void localTwoWritesByteForByteWhatTheLocalCommandWrites() throws IOException {
        Path out = tmp.resolve("spark");
        PreprocessSummary s = SparkEngine.run(job(out), "local[2]", PreprocessFixtures.FIXED_CLOCK);

        assertSameFiles(out, reference);
        assertThat(Preprocessor.readBadVideos(out)).extracting(BadVideo::videoId)
                .containsExactly("video3", "video7", "video11", "video20", "video33");
        assertThat(s.videosOk()).isEqualTo(VIDEOS - 5).isEqualTo(referenceSummary.videosOk());
        assertThat(s.videosBad()).isEqualTo(5);
        assertThat(s.clips()).isEqualTo(referenceSummary.clips()).isEqualTo(2 * (VIDEOS - 5));
        assertThat(s.clipsWritten()).isEqualTo(s.clips());
        assertThat(s.shardsWritten()).isEqualTo(SHARDS);
        assertThat(s.threads()).isEqualTo(2);
        // The tasks ran in this JVM, on the encoders the driver lent them: no executor opened a second copy.
        assertThat(ExecutorModels.openedHere()).isZero();

        // A rerun finds every shard done and rewrites nothing but the summary.
        PreprocessFixtures.ageFiles(out, Instant.parse("2020-01-01T00:00:00Z"));
        SortedMap<String, FileTime> before = new TreeMap<>(PreprocessFixtures.mtimes(out));
        PreprocessSummary again = SparkEngine.run(job(out), "local[2]", PreprocessFixtures.FIXED_CLOCK);
        assertThat(again.shardsSkipped()).isEqualTo(SHARDS);
        assertThat(again.clipsWritten()).isZero();
        SortedMap<String, FileTime> after = new TreeMap<>(PreprocessFixtures.mtimes(out));
        before.remove(DatasetFiles.SUMMARY);
        after.remove(DatasetFiles.SUMMARY);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptIsRetriedWithNothingLostOrDuplicated() throws IOException {
        INJECTED.set(0);
        Path out = tmp.resolve("retried");
        PreprocessSummary s;
        try (JavaSparkContext sc = retryingContext()) {
            // Shard 5 fails after its tensors are published and before its .jsonl is: the worst moment.
            s = spark(sc, out, (store, shard) -> shard == 5 ? new FailingManifestWrite(store, true) : store);
        }

        assertThat(INJECTED.get()).isEqualTo(1);
        assertSameFiles(out, reference);
        assertThat(s.shardsWritten()).isEqualTo(SHARDS);
        assertThat(s.clips()).isEqualTo(referenceSummary.clips());
    }

    @Test
    void aRunThatDiesMidwayLeavesOnlyWholeShardsAndTheRerunSkipsThem() throws IOException, InterruptedException {
        INJECTED.set(0);
        Path out = tmp.resolve("resumed");
        try (JavaSparkContext sc = retryingContext()) {
            // Shard 6 fails on every attempt, so the job fails while other tasks have finished or are running.
            assertThatThrownBy(() -> spark(sc, out, (store, shard) -> shard == 6
                    ? new FailingManifestWrite(store, false) : store))
                    .isInstanceOf(IOException.class).hasMessageContaining("the Spark job failed");
            awaitNoRunningTasks(sc);
        }
        assertThat(INJECTED.get()).isEqualTo(2);

        List<Integer> done = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            if (Files.exists(DatasetFiles.shardManifest(out, i))) {
                done.add(i);
                for (Path f : List.of(DatasetFiles.shardManifest(out, i), DatasetFiles.shardTensors(out, i),
                        DatasetFiles.shardBadVideos(out, i))) {
                    Path ref = reference.resolve(out.relativize(f));
                    assertThat(Files.exists(f)).as(f.toString()).isEqualTo(Files.exists(ref));
                    if (Files.exists(ref)) {
                        assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(Files.readAllBytes(ref));
                    }
                }
            }
        }
        assertThat(done).isNotEmpty().doesNotContain(6);
        assertThat(out.resolve(DatasetFiles.MANIFEST)).doesNotExist();

        PreprocessSummary s = SparkEngine.run(job(out), "local[2]", PreprocessFixtures.FIXED_CLOCK);
        assertThat(s.shardsSkipped()).isEqualTo(done.size());
        assertThat(s.shardsWritten()).isEqualTo(SHARDS - done.size());
        assertSameFiles(out, reference);
    }

    /** Killed tasks of a failed job may still be running in local mode; wait until they have stopped. */
    private static void awaitNoRunningTasks(JavaSparkContext sc) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int running = 0;
            for (SparkExecutorInfo e : sc.sc().statusTracker().getExecutorInfos()) {
                running += e.numRunningTasks();
            }
            if (running == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("tasks still running a minute after their job failed");
    }

    /** Fails the write of the shard's .jsonl: on the first attempt only, or on every attempt. */
    private static final class FailingManifestWrite implements OutputStore {
        private final OutputStore out;
        private final boolean firstAttemptOnly;

        FailingManifestWrite(OutputStore out, boolean firstAttemptOnly) {
            this.out = out;
            this.firstAttemptOnly = firstAttemptOnly;
        }

        @Override
        public void write(String rel, byte[] bytes) throws IOException {
            if (rel.endsWith(".jsonl") && (!firstAttemptOnly || TaskContext.get().attemptNumber() == 0)) {
                INJECTED.incrementAndGet();
                throw new IOException("injected failure before writing " + rel);
            }
            out.write(rel, bytes);
        }

        @Override
        public String location() {
            return out.location();
        }

        @Override
        public SortedMap<String, Long> list(String dir) throws IOException {
            return out.list(dir);
        }

        @Override
        public long size(String rel) throws IOException {
            return out.size(rel);
        }

        @Override
        public InputStream open(String rel) throws IOException {
            return out.open(rel);
        }

        @Override
        public void writeVia(String rel, AtomicFiles.PathBody body) throws IOException {
            out.writeVia(rel, body);
        }

        @Override
        public void delete(String rel) throws IOException {
            out.delete(rel);
        }
    }
}
