package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * An Arbiter {@link TaskCreator} whose tasks evaluate a candidate themselves (a function, a training
 * run) and need neither Arbiter's data provider nor its score function: both of Arbiter's entry
 * points call {@link #evaluate}.
 */
public abstract class CandidateTasks implements TaskCreator {
    /** Evaluates one candidate: its score, or a failed result. */
    protected abstract OptimizationResult evaluate(Candidate candidate) throws Exception;

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> evaluate(candidate);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> evaluate(candidate);
    }
}
