package org.baid4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Adam exactly as {@code torch.optim.Adam} steps: {@code p -= lr / (1 - b1^t) * m / (sqrt(v) /
 * sqrt(1 - b2^t) + eps)}. DL4J's Adam adds epsilon to the uncorrected {@code sqrt(v)}, which
 * shrinks small gradients' steps (by 24% for a gradient of 1e-6 on the first step): not the
 * reference's optimiser. Weight decay stays DL4J's L2, added to the gradient before this updater,
 * which is PyTorch's coupled weight_decay.
 */
public final class TorchAdam implements IUpdater {
    @JsonProperty
    private double learningRate;
    @JsonProperty
    private ISchedule learningRateSchedule;
    @JsonProperty
    private final double beta1;
    @JsonProperty
    private final double beta2;
    @JsonProperty
    private final double epsilon;

    public TorchAdam(@JsonProperty("learningRate") double learningRate,
                     @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                     @JsonProperty("beta1") double beta1,
                     @JsonProperty("beta2") double beta2,
                     @JsonProperty("epsilon") double epsilon) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public TorchAdam(ISchedule schedule, double beta1, double beta2, double epsilon) {
        this(Double.NaN, schedule, beta1, beta2, epsilon);
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        TorchAdamUpdater u = new TorchAdamUpdater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        long[] gradientShape = flat.shape().clone();
        gradientShape[0] /= 2;
        u.setStateViewArray(flat, gradientShape, flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        TorchAdamUpdater u = new TorchAdamUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public TorchAdam clone() {
        return new TorchAdam(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), beta1, beta2,
                epsilon);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TorchAdam)) {
            return false;
        }
        TorchAdam t = (TorchAdam) o;
        return Double.compare(learningRate, t.learningRate) == 0 && java.util.Objects.equals(learningRateSchedule,
                t.learningRateSchedule) && beta1 == t.beta1 && beta2 == t.beta2 && epsilon == t.epsilon;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(learningRate, learningRateSchedule, beta1, beta2, epsilon);
    }
}
