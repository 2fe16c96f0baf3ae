package org.baid4j.studies.sweep;

import java.util.Map;

/**
 * One trial of a sweep, as state.json and trials.csv hold it.
 *
 * @param number     0-based, the candidate's index
 * @param parameters the candidate's values by parameter name
 * @param unit       Arbiter's unit inputs for them (what a sampler's history is made of)
 * @param status     running, complete or failed
 * @param objective  the objective at the trial's best epoch; NaN unless complete
 * @param bestEpoch  that epoch, -1 unless complete
 * @param seconds    time spent on the trial, over every invocation
 * @param reason     why it failed, or null
 * @param runDir     its run folder, relative to the sweep's
 */
public record SweepTrial(int number, Map<String, Object> parameters, double[] unit, String status, double objective,
                         int bestEpoch, double seconds, String reason, String runDir) {
    public boolean complete() {
        return SweepState.COMPLETE.equals(status);
    }
}
