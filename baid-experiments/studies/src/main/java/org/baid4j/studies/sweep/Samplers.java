package org.baid4j.studies.sweep;

import org.baid4j.tuning.TpeCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

import java.util.List;

/** The sweep's samplers by name: TPE (ours), and Arbiter's random, grid and genetic search. */
final class Samplers {
    static final List<String> NAMES = List.of("tpe", "random", "grid", "genetic");
    /** Points per continuous parameter in a grid. */
    static final int GRID_POINTS = 3;

    private Samplers() {
    }

    static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown sampler '" + name + "' (expected " + String.join(", ", NAMES) + ")");
        }
    }

    /** A new generator: the same arguments always give the same sequence of candidates for the same results. */
    static CandidateGenerator create(String name, ParameterSpace<?> space, SweepObjective objective, long seed,
                                     int startupTrials) {
        CandidateGenerator g = switch (name) {
            case "tpe" -> TpeCandidateGenerator.builder(space).minimize(objective.minimize()).seed(seed)
                    .startupTrials(startupTrials).build();
            case "random" -> new RandomSearchGenerator(space, null);
            case "grid" -> new GridSearchCandidateGenerator(space, GRID_POINTS, GridSearchCandidateGenerator.Mode.Sequential, null);
            case "genetic" -> new GeneticSearchCandidateGenerator.Builder(space, objective).build();
            default -> throw new IllegalArgumentException("unknown sampler '" + name + "'");
        };
        if (!name.equals("tpe")) {
            g.setRngSeed(seed);
        }
        return g;
    }
}
