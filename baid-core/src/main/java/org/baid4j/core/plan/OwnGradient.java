package org.baid4j.core.plan;

import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * DL4J's gradient of one step whose {@link #gradient()} is the network's gradient array itself,
 * the identity by which DL4J's updater recognises its own network's gradient (see
 * {@link PlannedGraph}); everything else is the step's gradient as DL4J made it.
 */
record OwnGradient(INDArray flattened, Gradient perVariable) implements Gradient {
    @Override
    public INDArray gradient() {
        return flattened;
    }

    @Override
    public Map<String, INDArray> gradientForVariable() {
        return perVariable.gradientForVariable();
    }

    @Override
    public INDArray gradient(List<String> order) {
        return perVariable.gradient(order);
    }

    @Override
    public void clear() {
        perVariable.clear();
    }

    @Override
    public INDArray getGradientFor(String variable) {
        return perVariable.getGradientFor(variable);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray gradient) {
        return perVariable.setGradientFor(variable, gradient);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
        return perVariable.setGradientFor(variable, gradient, flatteningOrder);
    }

    @Override
    public Character flatteningOrderForVariable(String variable) {
        return perVariable.flatteningOrderForVariable(variable);
    }
}
