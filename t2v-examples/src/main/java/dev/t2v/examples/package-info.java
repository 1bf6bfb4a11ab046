/**
 * Small programs to copy from, each a {@code main} on the public API of t2v-inference and t2v-train:
 * <ul>
 *   <li>{@link dev.t2v.examples.GenerateVideo}: a prompt to an MP4;</li>
 *   <li>{@link dev.t2v.examples.VideoToVideo}: an init video restyled by a prompt (SDEdit);</li>
 *   <li>{@link dev.t2v.examples.CompareSamplers}: DDPM, DDIM and DPM-Solver++ side by side;</li>
 *   <li>{@link dev.t2v.examples.TrainOnFolder}: an MSR-VTT-format folder to a trained model bundle.</li>
 * </ul>
 *
 * To run one from the repository root:
 * <pre>
 * mvn -q install -DskipTests
 * mvn -q -pl t2v-examples dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * export OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4   # else ND4J's idle threads spin
 * java -Xmx4g -cp t2v-examples/target/classes:$(cat t2v-examples/target/classpath.txt) \
 *     dev.t2v.examples.GenerateVideo "a red circle moving right" red.mp4
 * </pre>
 */
package dev.t2v.examples;
