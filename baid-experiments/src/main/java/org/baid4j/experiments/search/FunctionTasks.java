package org.baid4j.experiments.search;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * Arbiter tasks that evaluate a plain function of a {@link NamedSpace}'s values: for searching
 * anything that is not a network (a benchmark function, a simulation), with
 * {@link org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner}.
 */
public final class FunctionTasks implements TaskCreator {
    private final ToDoubleFunction<Map<String, Object>> function;

    public FunctionTasks(ToDoubleFunction<Map<String, Object>> function) {
        this.function = function;
    }

    /** The runner's direction for this function: lower is better. */
    public static ScoreFunction minimizing() {
        return Direction.MINIMIZE;
    }

    /** Higher is better. */
    public static ScoreFunction maximizing() {
        return Direction.MAXIMIZE;
    }

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

    @SuppressWarnings("unchecked")
    private OptimizationResult evaluate(Candidate candidate) {
        long start = System.currentTimeMillis();
        double score = function.applyAsDouble((Map<String, Object>) candidate.getValue());
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Complete, score, start, start,
                System.currentTimeMillis(), candidate.getFlatParameters(), null);
        return new OptimizationResult(candidate, score, candidate.getIndex(), null, info, null);
    }

    private enum Direction implements ScoreFunction {
        MINIMIZE, MAXIMIZE;

        @Override
        public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("the tasks compute the function's value");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
            throw new UnsupportedOperationException("the tasks compute the function's value");
        }

        @Override
        public boolean minimize() {
            return this == MINIMIZE;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of(Object.class);
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(Object.class);
        }
    }
}
