package dev.t2v.data.spark;

import dev.t2v.data.preprocess.PreprocessSummary;
import java.io.IOException;
import java.time.Clock;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a {@link SparkPreprocessJob} on a Spark context of its own: what {@code t2v preprocess --engine spark} calls.
 * No Spark type is in its signature, so a caller compiles without Spark and needs it on the class path only when this
 * runs (the CLI does not depend on Spark: even a {@code provided} Spark would change its run-time dependency versions).
 */
public final class SparkEngine {
    private SparkEngine() {
    }

    /**
     * @param master the Spark master ({@code local[2]}, {@code yarn}, {@code k8s://...}), or {@code ""} for the one
     *     spark-submit set
     * @throws IllegalArgumentException when no master is given or set
     */
    public static PreprocessSummary run(SparkPreprocessJob job, String master, Clock clock) throws IOException {
        // new SparkConf() reads the spark.* properties spark-submit set, its master included.
        SparkConf conf = SparkPreprocess.configure(new SparkConf())
                .setIfMissing("spark.app.name", "t2v preprocess")
                .setIfMissing("spark.log.level", "WARN");
        if (!master.isEmpty()) {
            conf.setMaster(master);
        }
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: give one (e.g. local[2]) or run through spark-submit");
        }
        if (conf.get("spark.master").startsWith("local")) {
            // Nothing leaves this machine: bind to loopback rather than to whatever the host name resolves to.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            return SparkPreprocess.run(sc, job, clock);
        }
    }
}
