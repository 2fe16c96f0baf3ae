package org.baid4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * One architecture in the {@link ModelRegistry}: its name in model files, the paper and upstream
 * code it reproduces, its configuration record (one JSON form, through {@link ModelFiles#JSON}, in
 * cards, run folders and options alike) with the reference's values, and how a network is made
 * new or restored from a file.
 *
 * @param <C> the configuration record
 */
public record ModelType<C>(String name, String paper, String upstream, Class<C> configType, C reference,
                           Function<C, ? extends TrainableNetwork> creator, Restorer<C> restorer) {

    /** Turns a graph restored from {@code file} and the configuration its card holds into the model. */
    @FunctionalInterface
    public interface Restorer<C> {
        TrainableNetwork restore(ComputationGraph graph, C config) throws IOException;
    }

    /** A new network of the reference's configuration. */
    public TrainableNetwork create() {
        return creator.apply(reference);
    }

    /**
     * A new network of {@code config}: the configuration record itself, or a map of the fields to
     * change from the reference's (their JSON names: {@code Map.of("inputSize", 64)}).
     */
    public TrainableNetwork create(Object config) {
        if (configType.isInstance(config)) {
            return creator.apply(configType.cast(config));
        }
        if (config instanceof Map<?, ?> changes) {
            ObjectNode json = ModelFiles.JSON.valueToTree(reference);
            JsonNode given = ModelFiles.JSON.valueToTree(changes);
            given.fieldNames().forEachRemaining(field -> {
                if (!json.has(field)) {
                    throw new IllegalArgumentException(name + " has no setting '" + field + "' (it has "
                            + String.join(", ", (Iterable<String>) json::fieldNames) + ")");
                }
            });
            json.setAll((ObjectNode) given);
            return creator.apply(config(json));
        }
        throw new IllegalArgumentException(name + "'s configuration is a " + configType.getSimpleName()
                + " or a map of its settings, not " + config);
    }

    /** The configuration as its JSON object (a card's {@code config}), as a file reads back: 5 an Integer, not a Long. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json(C config) {
        try {
            return ModelFiles.JSON.readValue(ModelFiles.JSON.writeValueAsBytes(config), Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The configuration from its JSON form; what it cannot be is an {@link IllegalArgumentException} saying why. */
    public C config(Object json) {
        try {
            return ModelFiles.JSON.convertValue(json, configType);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null && e.getCause().getCause() != null ? e.getCause().getCause() : e;
            throw new IllegalArgumentException(cause.getMessage(), e);
        }
    }

    /** The model of a file's graph and card. */
    TrainableNetwork restore(ComputationGraph graph, ModelCard card, File file) throws IOException {
        C config;
        try {
            config = config(card.config());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the " + name + " configuration in its card is unusable (" + e.getMessage() + ")", e);
        }
        return restorer.restore(graph, config);
    }
}
