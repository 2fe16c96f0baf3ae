package org.baid4j.experiments.cli;

import org.baid4j.experiments.training.TrainingConfig;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * The training options' defaults, read from {@link TrainingConfig#reference}: the CLI declares
 * none of its own, so {@code --help} shows the settings a run really gets.
 */
class TrainingDefaults implements IDefaultValueProvider {
    private static final TrainingConfig REFERENCE = TrainingConfig.reference("");
    private static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("--variant", REFERENCE.model().variant()),
            Map.entry("--input-size", REFERENCE.model().inputSize()),
            Map.entry("--dropout", REFERENCE.model().dropout()),
            Map.entry("--head-activation", REFERENCE.model().headActivation()),
            Map.entry("--lr", REFERENCE.optimiser().learningRate()),
            Map.entry("--beta1", REFERENCE.optimiser().beta1()),
            Map.entry("--beta2", REFERENCE.optimiser().beta2()),
            Map.entry("--weight-decay", REFERENCE.optimiser().weightDecay()),
            Map.entry("--schedule", REFERENCE.optimiser().schedule().label()),
            Map.entry("--epochs", REFERENCE.run().epochs()),
            Map.entry("--batch", REFERENCE.run().batch()),
            Map.entry("--seed", REFERENCE.run().seed()),
            Map.entry("--validate-every", REFERENCE.run().validateEvery()),
            Map.entry("--checkpoint-every", REFERENCE.run().checkpointEvery()),
            Map.entry("--patience", REFERENCE.run().patience()),
            Map.entry("--subset", REFERENCE.data().subset()),
            Map.entry("--threads", REFERENCE.data().threads()));

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            Object v = DEFAULTS.get(option.longestName());
            return v == null ? null : String.valueOf(v);
        }
        return null;
    }
}
