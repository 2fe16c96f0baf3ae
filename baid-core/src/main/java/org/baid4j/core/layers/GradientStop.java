package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The entrance of a frozen branch with nothing trainable below it (GAB): activations pass
 * unchanged; no gradient comes back from the branch, and this hands zeros to the vertex before it
 * (the image), because DL4J adds up the gradients of a vertex's consumers and cannot add a missing
 * one. Use it in a {@code PreprocessorVertex}. See {@link FrozenBatchNormalization}.
 */
public class GradientStop extends BaseInputPreProcessor {
    private transient long[] lastInputShape;

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        lastInputShape = input.shape();
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.create(ArrayType.ACTIVATION_GRAD, org.nd4j.linalg.factory.Nd4j.dataType(), lastInputShape);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public GradientStop clone() {
        return (GradientStop) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientStop;
    }

    @Override
    public int hashCode() {
        return GradientStop.class.hashCode();
    }
}
