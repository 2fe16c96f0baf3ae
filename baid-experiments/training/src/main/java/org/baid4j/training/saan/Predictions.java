package org.baid4j.training.saan;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.pipeline.BaidDataSetIterator;
import org.baid4j.data.pipeline.ResizedImages;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/** Scores for a split in file order, through the evaluation transform (no flip, no shuffle). */
public final class Predictions {
    private Predictions() {
    }

    /** Predicted scores on the 0-10 scale, one per label. */
    public static double[] of(AestheticsModel model, List<BaidLabel> labels, ResizedImages images, int batch, int threads,
                              Runnable progress) {
        if (images.size() != model.preprocessing().inputSize()) {
            throw new IllegalArgumentException("images at " + images.size() + " px for a model that takes "
                    + model.preprocessing().inputSize());
        }
        double[] out = new double[labels.size()];
        int at = 0;
        try (BaidDataSetIterator it = new BaidDataSetIterator(labels, images, batch, false, 0, threads, 2)) {
            while (it.hasNext()) {
                DataSet ds = it.next();
                double[] scores = model.scores(ds.getFeatures());
                for (double s : scores) {
                    out[at++] = s;
                    progress.run();
                }
            }
            if (it.skipped() > 0) {
                throw new IllegalStateException(it.skipped() + " images failed to decode during evaluation: "
                        + String.join("; ", it.failures()));
            }
        }
        return out;
    }
}
