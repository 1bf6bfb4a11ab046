/**
 * Preprocessing as an Apache Spark job ({@link dev.t2v.data.spark.SparkPreprocess}): the same
 * {@link dev.t2v.data.preprocess.Preprocessor} with one Spark task per shard, reading and writing any Hadoop file
 * system. Spark is a {@code provided} dependency: the cluster supplies it, and users of the rest of t2v-data never
 * load this package. docs/scale.md shows how to submit it.
 */
package dev.t2v.data.spark;
