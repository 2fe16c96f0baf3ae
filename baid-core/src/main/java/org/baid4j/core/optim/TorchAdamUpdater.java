package org.baid4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

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

    /** Turns {@code gradient} into the step DL4J subtracts from the parameters. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        double b1 = config.beta1();
        double b2 = config.beta2();
        double lr = config.getLearningRate(iteration, epoch);
        int step = iteration + 1;
        INDArray g = gradient.reshape(m.shape());
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.mul(g).muli(1 - b2));
        double biasCorrection1 = 1 - Math.pow(b1, step);
        double biasCorrection2 = 1 - Math.pow(b2, step);
        INDArray denominator = Transforms.sqrt(v, true).divi(Math.sqrt(biasCorrection2)).addi(config.epsilon());
        g.assign(m).divi(denominator).muli(lr / biasCorrection1);
    }
}
