package org.baid4j.cli;

import org.baid4j.training.saan.TrainingConfig;

import java.util.Map;

/** The SAAN training options' defaults, read from {@link TrainingConfig#reference}. */
class TrainingDefaults extends OptionDefaults {
    private static final TrainingConfig REFERENCE = TrainingConfig.reference("");

    TrainingDefaults() {
        super(OptimiserRunOptions.defaults(REFERENCE.optimiser(), REFERENCE.run()), Map.of(
                "--variant", REFERENCE.model().variant(),
                "--input-size", REFERENCE.model().inputSize(),
                "--dropout", REFERENCE.model().dropout(),
                "--head-activation", REFERENCE.model().headActivation(),
                "--subset", REFERENCE.data().subset(),
                "--threads", REFERENCE.data().threads()));
    }
}
