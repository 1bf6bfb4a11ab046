package dev.t2v.core.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/** Scratch: forward + backward cost of bias-add formulations on [M,N]. */
public final class BiasProbe {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]);
        INDArray x = Nd4j.rand(DataType.FLOAT, m, n);
        for (int round = 0; round < 3; round++) {
            run("broadcast add", m, n, x, (sd, v) -> v[0].add(v[1]));
            run("biasAdd", m, n, x, (sd, v) -> sd.nn.biasAdd(v[0], v[1], false));
            run("outer(ones,b) + x", m, n, x, (sd, v) -> v[0].add(sd.mmul(sd.constant(Nd4j.ones(DataType.FLOAT, m, 1)), v[1].reshape(1, n))));
        }
    }

    interface G extends BiFunction<SameDiff, SDVariable[], SDVariable> {
    }

    static void run(String label, int m, int n, INDArray xv, G f) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xv.dup());
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, n));
        SDVariable r = sd.constant(Nd4j.rand(DataType.FLOAT, m, n));
        SDVariable out = f.apply(sd, new SDVariable[] {x, b});
        out.mul(r).sum().rename("loss");
        sd.setLossVariables("loss");
        PrintStream o = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        sd.createGradFunction();
        System.setOut(o);
        Map<String, INDArray> none = Map.of();
        List<String> want = List.of("x", "b");
        for (int i = 0; i < 3; i++) {
            sd.calculateGradients(none, want);
        }
        int reps = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            sd.calculateGradients(none, want);
        }
        double fb = (System.nanoTime() - t0) / 1e6 / reps;
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            sd.output(none, "loss");
        }
        double fw = (System.nanoTime() - t0) / 1e6 / reps;
        System.out.printf(Locale.ROOT, "%-22s fwd %6.2f ms  fwd+bwd %6.2f ms%n", label, fw, fb);
    }
}
