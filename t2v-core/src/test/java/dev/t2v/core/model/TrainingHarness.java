package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

import java.util.HashMap;
import java.util.Map;

/**
 * The minimal training loop the graph tests and {@link OpProfile} need: an MSE loss on {@code out} against a
 * {@code target} placeholder, trained with SameDiff's Adam. (The real trainer lives in t2v-train.)
 */
final class TrainingHarness {
    private final SameDiff sd;

    TrainingHarness(Denoiser m, double learningRate) {
        DenoiserConfig cfg = m.config();
        sd = m.sameDiff();
        int s = cfg.latentSize();
        SDVariable target = sd.placeHolder("target", m.dataType(), -1, -1, cfg.latentChannels(), s, s);
        SDVariable diff = sd.getVariable("out").sub(target);
        diff.mul(diff).mean().rename("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping("x", "t", "text", "text_mask")
                .dataSetLabelMapping("target")
                .build());
    }

    /** Runs {@code steps} Adam steps on the same batch (one SameDiff training session). */
    void fit(Batch batch, INDArray target, int steps) {
        MultiDataSet data = new MultiDataSet(new INDArray[] {batch.x(), batch.t(), batch.text(), batch.mask()},
                new INDArray[] {target});
        sd.fit(new SingletonMultiDataSetIterator(data), steps);
    }

    double loss(Batch batch, INDArray target) {
        Map<String, INDArray> feed = new HashMap<>(batch.feed());
        feed.put("target", target);
        return sd.output(feed, "loss").get("loss").getDouble(0);
    }
}
