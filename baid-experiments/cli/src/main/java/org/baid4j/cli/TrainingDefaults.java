package org.baid4j.cli;

import org.baid4j.training.saan.TrainingConfig;

import java.util.Map;

/** The SAAN training options' defaults, read from {@link TrainingConfig#reference}. */
class TrainingDefaults extends OptionDefaults {
    private static final TrainingConfig REFERENCE = TrainingConfig.reference(".");

    TrainingDefaults() {
        super(OptimiserRunOptions.defaults(REFERENCE.optimiser(), REFERENCE.run()), Map.of(
                "--variant", REFERENCE.saanConfig().variant().label(),
                "--input-size", REFERENCE.saanConfig().inputSize(),
                "--dropout", REFERENCE.saanConfig().dropout(),
                "--head-activation", REFERENCE.saanConfig().headActivation().label(),
                "--subset", REFERENCE.data().subset(),
                "--threads", REFERENCE.data().threads()));
    }
}
