package org.baid4j.scoring;

/**
 * One image's outcome: its score on the 0-10 scale, or the failure that names it. A failure is
 * never a NaN score.
 *
 * @param source  the image as the caller named it
 * @param score   the score, 0-10; NaN exactly when {@code failure} is set
 * @param failure why the image was not scored, or null
 */
public record ScoreResult(String source, double score, ScoringException failure) {
    static ScoreResult scored(String source, double score) {
        return new ScoreResult(source, score, null);
    }

    static ScoreResult failed(ScoringException failure) {
        return new ScoreResult(failure.source(), Double.NaN, failure);
    }

    public boolean isScored() {
        return failure == null;
    }
}
