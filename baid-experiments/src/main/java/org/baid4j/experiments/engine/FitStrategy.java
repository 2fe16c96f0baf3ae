package org.baid4j.experiments.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** How one batch is fitted: on this process's device ({@link #LOCAL}); other strategies spread a step. */
public interface FitStrategy {
    /** One optimiser step on {@code batch}; returns the batch's loss without the L2 penalty. */
    double fit(ComputationGraph graph, MultiDataSet batch);

    /** {@code graph.fit(batch)}; DL4J's score adds the parameters' L2 penalty, which the reference does not report. */
    FitStrategy LOCAL = (graph, batch) -> {
        double penalty = graph.calcRegularizationScore(true);
        graph.fit(batch);
        return graph.score() - penalty;
    };
}
