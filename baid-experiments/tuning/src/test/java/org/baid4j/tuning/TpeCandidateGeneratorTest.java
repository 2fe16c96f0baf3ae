package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The generator on Arbiter's own runner, its mapping of leaves, and its reproducibility. */
class TpeCandidateGeneratorTest {

    @Test
    void minimisesAFunctionWithArbitersRunner() {
        BenchmarkProblems.Problem branin = BenchmarkProblems.branin();
        TpeCandidateGenerator tpe = TpeCandidateGenerator.builder(branin.space()).seed(1).build();
        OptimizationConfiguration config = new OptimizationConfiguration.Builder().candidateGenerator(tpe)
                .scoreFunction(FunctionTasks.minimizing()).terminationConditions(new MaxCandidatesCondition(60)).build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(config, new FunctionTasks(branin.loss()));
        runner.execute();
        assertEquals(60, runner.numCandidatesCompleted());
        assertTrue(runner.bestScore() < 0.6, "Branin's minimum is 0.398; found " + runner.bestScore());
        assertEquals(60, tpe.proposed());
    }

    @Test
    void proposalsRespectEachLeafsDomain() {
        BenchmarkProblems.Problem mixed = BenchmarkProblems.mixed();
        TpeCandidateGenerator tpe = TpeCandidateGenerator.builder(mixed.space()).seed(4).startupTrials(3).build();
        for (int t = 0; t < 30; t++) {
            Candidate c = tpe.getCandidate();
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) c.getValue();
            assertTrue(List.of(0, 1, 2, 3).contains(v.get("c")), v.toString());
            int k = (Integer) v.get("k");
            assertTrue(k >= 1 && k <= 30, v.toString());
            double x = (Double) v.get("x");
            assertTrue(x >= 0 && x <= 1, v.toString());
            tpe.reportResults(new OptimizationResult(c, mixed.loss().applyAsDouble(v), t, null, null, null));
        }
        // Log leaves stay inside their range and are spread on the log scale by the random startup.
        BenchmarkProblems.Problem branin = BenchmarkProblems.branin();
        TpeCandidateGenerator g = TpeCandidateGenerator.builder(branin.space()).seed(2).build();
        int belowFour = 0;
        for (int t = 0; t < 10; t++) {
            double x2p1 = (Double) ((Map<?, ?>) g.getCandidate().getValue()).get("x2p1");
            assertTrue(x2p1 >= 1 && x2p1 <= 16);
            belowFour += x2p1 < 4 ? 1 : 0;
        }
        assertTrue(belowFour >= 2 && belowFour <= 8, "log-uniform on [1, 16]: about half below 4, got " + belowFour);
    }

    @Test
    void theSameSeedAndResultsGiveTheSameCandidatesAndFailedTrialsAreLeftOut() {
        BenchmarkProblems.Problem h = BenchmarkProblems.hartmann6();
        List<double[]> first = proposals(h, 7, -1);
        List<double[]> again = proposals(h, 7, -1);
        for (int t = 0; t < first.size(); t++) {
            assertArrayEquals(first.get(t), again.get(t), "trial " + t);
        }
        List<double[]> other = proposals(h, 8, -1);
        assertFalse(Arrays.equals(first.get(0), other.get(0)), "another seed, other candidates");
        List<double[]> withFailure = proposals(h, 7, 12);
        assertArrayEquals(first.get(12), withFailure.get(12), "a failed trial is proposed as any other");
        assertFalse(Arrays.equals(first.get(13), withFailure.get(13)), "but not learnt from");
    }

    private static List<double[]> proposals(BenchmarkProblems.Problem p, long seed, int failing) {
        TpeCandidateGenerator g = TpeCandidateGenerator.builder(p.space()).seed(seed).build();
        List<double[]> out = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            Candidate c = g.getCandidate();
            out.add(c.getFlatParameters());
            @SuppressWarnings("unchecked")
            Double loss = t == failing ? null : p.loss().applyAsDouble((Map<String, Object>) c.getValue());
            g.reportResults(new OptimizationResult(c, loss, t, null, null, null));
        }
        return out;
    }

    @Test
    void parzenWeightsAndGammaAreOptunas() {
        assertEquals(1, TpeSampler.gamma(1));
        assertEquals(2, TpeSampler.gamma(11));
        assertEquals(25, TpeSampler.gamma(1000));
        assertArrayEquals(new double[]{1, 1, 1}, TpeSampler.weights(3));
        double[] w = TpeSampler.weights(30);   // numpy: linspace(1/30, 1, 5) then 25 ones
        assertEquals(1.0 / 30, w[0], 1e-15);
        assertEquals(1.0 / 30 + (1 - 1.0 / 30) / 4, w[1], 1e-15);
        assertEquals(1.0, w[4], 1e-15);
        assertEquals(1.0, w[29], 0);
        assertArrayEquals(new double[]{1.0 / 26}, Arrays.copyOf(TpeSampler.weights(26), 1), 1e-15);
    }
}
