package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adaptive instance normalisation, as SAAN's style-specific branch uses it: the content features
 * take the per-sample, per-channel mean and spread of the style features,
 * {@code sigma_s * (c - mu_c) / sigma_c + mu_s}, statistics over H x W, sigma the unbiased standard
 * deviation plus {@value #EPSILON} (added after the square root, as the reference does).
 * Inputs: content [B,C,H,W], style [B,C,H,W]. No parameters, no activation (the graph adds ReLU).
 * Runs as {@link AdaINVertex}, with the backward pass in closed form for both inputs. Earlier builds
 * declared it as a SameDiff vertex; their files name this class and load as it.
 */
public class AdaIN extends GraphVertex {
    public static final double EPSILON = 1e-6;

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                       INDArray paramsView, boolean initializeParams,
                                                                       DataType networkDatatype) {
        return new AdaINVertex(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || !inputs[0].equals(inputs[1])) {
            throw new InvalidInputTypeException("AdaIN needs content and style of one shape, got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, AdaIN.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public AdaIN clone() {
        return new AdaIN();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaIN;
    }

    @Override
    public int hashCode() {
        return AdaIN.class.hashCode();
    }
}
