package dev.t2v.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

class Nd4jSmokeTest {
    @Test
    void sameDiffMatmulRuns() {
        SameDiff sd = SameDiff.create();
        {
            SDVariable a = sd.placeHolder("a", DataType.FLOAT, -1, 3);
            SDVariable w = sd.var("w", Nd4j.eye(3).castTo(DataType.FLOAT));
            SDVariable out = a.mmul(w).rename("out");
            INDArray in = Nd4j.rand(DataType.FLOAT, 2, 3);
            INDArray res = sd.output(Map.of("a", in), "out").get("out");
            assertThat(res.equalsWithEps(in, 1e-6)).isTrue();
        }
    }
}
