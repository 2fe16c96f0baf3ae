package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Arbiter tasks that evaluate a plain function of a {@link NamedSpace}'s values: for searching
 * anything that is not a network (a benchmark function, a simulation), with
 * {@link org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner}.
 */
public final class FunctionTasks extends CandidateTasks {
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
    @SuppressWarnings("unchecked")
    protected OptimizationResult evaluate(Candidate candidate) {
        long start = System.currentTimeMillis();
        double score = function.applyAsDouble((Map<String, Object>) candidate.getValue());
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), CandidateStatus.Complete, score, start, start,
                System.currentTimeMillis(), candidate.getFlatParameters(), null);
        return new OptimizationResult(candidate, score, candidate.getIndex(), null, info, null);
    }

    private enum Direction implements TaskScore {
        MINIMIZE, MAXIMIZE;

        @Override
        public boolean minimize() {
            return this == MINIMIZE;
        }
    }
}
