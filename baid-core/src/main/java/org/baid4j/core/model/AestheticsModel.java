package org.baid4j.core.model;

import org.baid4j.core.plan.PlannedGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model that scores images for their aesthetics: what scoring, evaluation and training need of
 * it, whatever its architecture. It carries its preprocessing, and its files describe themselves
 * ({@link ModelCard}), so that a file is loaded without being told what it holds ({@link ModelFiles}).
 */
public interface AestheticsModel extends TrainableNetwork {
    /** What the model is: its type, configuration and preprocessing, as written into its files. */
    ModelCard card();

    default Preprocessing preprocessing() {
        return card().preprocessing();
    }

    /**
     * Declares that this model's parameters will not change (a model loaded to score): a network
     * that a plan runs then keeps what it derives from them ({@link PlannedGraph#fixParameters});
     * training undoes it.
     */
    default void fixParameters() {
        if (graph() instanceof PlannedGraph planned) {
            planned.fixParameters();
        }
    }

    /** Scores on the 0-10 scale for a batch of preprocessed images [B, 3, S, S] (S = the preprocessing's input size). */
    double[] scores(INDArray images);
}
