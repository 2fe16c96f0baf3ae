package org.baid4j.studies.sweep;

import org.baid4j.training.saan.TrainingConfig;

import java.util.Map;

/**
 * A sweep, as SWEEP/sweep.json records it: the trial template (every trial is this training run
 * with the candidate's values), the space, the sampler, the objective, how many trials, the seed,
 * the time budget and TPE's random startup.
 *
 * @param base          the training run every trial starts from
 * @param space         the search space's JSON form ({@link SweepSpace#toJson})
 * @param sampler       tpe, random, grid or genetic
 * @param maxSeconds    the whole sweep's time budget, over every invocation; 0 for none
 * @param startupTrials TPE's random trials before it models (Optuna's default: 10)
 */
public record SweepSettings(TrainingConfig base, Map<String, Object> space, String sampler, String objective, int trials,
                            long seed, long maxSeconds, int startupTrials) {
    public SweepSettings {
        check(sampler, objective, trials, maxSeconds, startupTrials);
        SweepSpace.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(space));
    }

    /** The checks of the sweep's own settings, for a caller that must refuse them before preparing anything. */
    public static void check(String sampler, String objective, int trials, long maxSeconds, int startupTrials) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
        }
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("--max-time must be positive");
        }
        if (startupTrials < 1) {
            throw new IllegalArgumentException("--startup-trials must be at least 1, got " + startupTrials);
        }
        Samplers.check(sampler);
        SweepObjective.parse(objective);
    }

    public SweepSpace searchSpace() {
        return SweepSpace.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(space));
    }

    public SweepObjective sweepObjective() {
        return SweepObjective.parse(objective);
    }
}
