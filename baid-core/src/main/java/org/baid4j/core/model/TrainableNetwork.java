package org.baid4j.core.model;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.File;
import java.io.IOException;

/** A network the training engine can fit, checkpoint and restore: a DL4J graph that saves itself. */
public interface TrainableNetwork {
    ComputationGraph graph();

    /** Writes the network; with the updater state the file continues training exactly. */
    void save(File file, boolean withUpdater) throws IOException;
}
