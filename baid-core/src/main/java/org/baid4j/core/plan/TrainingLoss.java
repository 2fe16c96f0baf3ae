package org.baid4j.core.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The loss a training step reports: the model's loss without the weight-decay term. The reference
 * reports none; the decay itself stays in the gradient. DL4J adds {@code wd/2 ||theta||^2} to a
 * network's score. A network a plan made ({@link PlannedGraph}) leaves the term out, sparing a norm
 * of every parameter each step; in any other the term is read before the step moves the parameters
 * and subtracted. Every fit strategy reports its loss through here.
 */
public final class TrainingLoss {
    private TrainingLoss() {
    }

    /** One step of {@code network} on {@code batch}; its loss without the decay term. */
    public static double fit(ComputationGraph network, MultiDataSet batch) {
        double decay = inScore(network);
        network.fit(batch);
        return network.score() - decay;
    }

    /**
     * The decay term in {@code network}'s score at its current parameters: none for a network a plan
     * made. Read when the gradient is ready and before the update (a listener's
     * {@code onGradientCalculation}), it is the term in the step's score.
     */
    public static double inScore(ComputationGraph network) {
        return network instanceof PlannedGraph ? 0 : decayTerm(network);
    }

    /** The term DL4J's own {@link ComputationGraph} adds to the score, for any network (Spark's workers run DL4J's). */
    public static double decayTerm(ComputationGraph network) {
        double sum = 0;
        for (Layer layer : network.getLayers()) {
            sum += layer.calcRegularizationScore(true);
        }
        return sum;
    }
}
