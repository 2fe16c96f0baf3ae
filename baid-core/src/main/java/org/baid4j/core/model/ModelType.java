package org.baid4j.core.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.File;
import java.io.IOException;

/**
 * One architecture in the {@link ModelRegistry}: its name in model files, the paper and upstream
 * code it reproduces, and how a restored graph and its card become a model.
 */
public record ModelType(String name, String paper, String upstream, Restorer restorer) {

    /** Turns a graph restored from {@code file} and the file's card into the model. */
    @FunctionalInterface
    public interface Restorer {
        TrainableNetwork restore(ComputationGraph graph, ModelCard card, File file) throws IOException;
    }
}
