package org.baid4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

import java.util.HashMap;
import java.util.Map;

/** The state and step of {@link TorchAdam}: first and second moments in DL4J's updater view array. */
public final class TorchAdamUpdater implements GradientUpdater<TorchAdam> {
    public static final String M_STATE = "M";
    public static final String V_STATE = "V";

    private final TorchAdam config;
    private INDArray m;
    private INDArray v;

    TorchAdamUpdater(TorchAdam config) {
        this.config = config;
    }

    @Override
    public TorchAdam getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.containsKey(M_STATE) || !stateMap.containsKey(V_STATE) || stateMap.size() != 2) {
            throw new IllegalStateException("state must hold exactly " + M_STATE + " and " + V_STATE + ", got "
                    + stateMap.keySet());
        }
        m = stateMap.get(M_STATE);
        v = stateMap.get(V_STATE);
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        state.put(M_STATE, m);
        state.put(V_STATE, v);
        return state;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        INDArray flat = viewArray.reshape(viewArray.length());
        long half = flat.length() / 2;
        m = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(0, half)), gradientShape, gradientOrder == 'f');
        v = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(half, flat.length())), gradientShape, gradientOrder == 'f');
        if (m == null || v == null) {
            throw new IllegalStateException("could not view the updater state in the gradient's shape");
        }
    }

    /**
     * Turns {@code gradient} into the step DL4J subtracts from the parameters, in place, in one
     * pass of ND4J's fused Adam (no temporary arrays). Torch's step
     * {@code lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)} equals
     * {@code lr sqrt(bc2) / bc1 * m / (sqrt(v) + eps sqrt(bc2))}, the form ND4J's op computes,
     * given the epsilon {@code eps sqrt(bc2)} ({@code bc = 1 - beta^t}).
     */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        double b1 = config.beta1();
        double b2 = config.beta2();
        double lr = config.getLearningRate(iteration, epoch);
        double biasCorrection2 = 1 - Math.pow(b2, iteration + 1);
        INDArray g = gradient.reshape(m.shape());
        Nd4j.exec(new AdamUpdater(g, v, m, lr, b1, b2, config.epsilon() * Math.sqrt(biasCorrection2), iteration));
    }
}
