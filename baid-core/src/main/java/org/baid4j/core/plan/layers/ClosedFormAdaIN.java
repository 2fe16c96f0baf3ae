package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.AdaIN;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link AdaIN} as a plain DL4J vertex ({@link AdaINVertex}) with its backward pass in closed form
 * for both inputs, where the SameDiff vertex spent 235 ms of a 224 px batch-8 training step's
 * backward pass against PyTorch's 14. The same arithmetic: the block parity tests hold either way.
 */
public class ClosedFormAdaIN extends GraphVertex {

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
        return new LayerMemoryReport.Builder(null, ClosedFormAdaIN.class, inputTypes[0], inputTypes[0])
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
    public ClosedFormAdaIN clone() {
        return new ClosedFormAdaIN();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClosedFormAdaIN;
    }

    @Override
    public int hashCode() {
        return ClosedFormAdaIN.class.hashCode();
    }
}
