package org.baid4j.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Arrays;
import java.util.Locale;

/** How the learning rate moves over a run's epochs; DL4J reads it from the updater as an {@link ISchedule}. */
public enum LearningRateSchedule {
    /** The reference's step schedule ({@link ReferenceLearningRate}). */
    REFERENCE_STEP("step") {
        @Override
        public ISchedule of(double base, int epochs) {
            return new ReferenceLearningRate(base);
        }
    },
    /** The base rate throughout. */
    CONSTANT("constant") {
        @Override
        public ISchedule of(double base, int epochs) {
            return new org.nd4j.linalg.schedule.FixedSchedule(base);
        }
    },
    /** Half a cosine from the base rate at epoch 0 towards 0 at the run's end (per epoch). */
    COSINE("cosine") {
        @Override
        public ISchedule of(double base, int epochs) {
            return new CosineLearningRate(base, epochs);
        }
    };

    private final String label;

    LearningRateSchedule(String label) {
        this.label = label;
    }

    public abstract ISchedule of(double base, int epochs);

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static LearningRateSchedule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label.equals(t) || s.name().equalsIgnoreCase(t)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown learning-rate schedule '" + text
                        + "' (expected step, constant or cosine)"));
    }
}
