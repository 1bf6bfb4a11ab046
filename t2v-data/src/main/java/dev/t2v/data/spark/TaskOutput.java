package dev.t2v.data.spark;

import dev.t2v.data.preprocess.OutputStore;
import java.io.IOException;
import java.io.Serializable;

/** What a task writes its shard through: the output store as is, or wrapped (tests inject faults this way). */
@FunctionalInterface
interface TaskOutput extends Serializable {
    TaskOutput AS_IS = (out, shard) -> out;

    OutputStore wrap(OutputStore out, int shard) throws IOException;
}
