package org.baid4j.core.optim;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimiser section of a training configuration: PyTorch's Adam with coupled L2 weight decay,
 * and the learning-rate schedule. {@link #reference()} holds the reference's settings, the one
 * place they are declared.
 *
 * @param learningRate the base learning rate the schedule starts from
 * @param beta1        Adam's first-moment decay (the reference: 0.5)
 * @param beta2        Adam's second-moment decay
 * @param epsilon      Adam's epsilon, added after the bias correction as PyTorch adds it
 * @param weightDecay  coupled L2 on every trainable parameter, as PyTorch's Adam weight_decay
 * @param schedule     how the learning rate moves over the epochs
 */
public record OptimiserConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                              LearningRateSchedule schedule) {

    public OptimiserConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number; got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1); got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Adam's epsilon must be positive; got " + epsilon);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a number >= 0; got " + weightDecay);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("a learning-rate schedule must be given");
        }
    }

    /** The reference's: Adam lr 1e-5, betas (0.5, 0.999), eps 1e-8, weight decay 5e-4, its step schedule. */
    public static OptimiserConfig reference() {
        return new OptimiserConfig(1e-5, 0.5, 0.999, 1e-8, 5e-4, LearningRateSchedule.REFERENCE_STEP);
    }

    public OptimiserConfig withLearningRate(double lr) {
        return new OptimiserConfig(lr, beta1, beta2, epsilon, weightDecay, schedule);
    }

    public OptimiserConfig withBetas(double b1, double b2) {
        return new OptimiserConfig(learningRate, b1, b2, epsilon, weightDecay, schedule);
    }

    public OptimiserConfig withWeightDecay(double decay) {
        return new OptimiserConfig(learningRate, beta1, beta2, epsilon, decay, schedule);
    }

    public OptimiserConfig withSchedule(LearningRateSchedule s) {
        return new OptimiserConfig(learningRate, beta1, beta2, epsilon, weightDecay, s);
    }

    /** The learning rate per epoch of a run of {@code epochs} epochs. */
    public ISchedule learningRates(int epochs) {
        return schedule.of(learningRate, epochs);
    }

    /** The updater for a run of {@code epochs} epochs. */
    public TorchAdam updater(int epochs) {
        return new TorchAdam(learningRates(epochs), beta1, beta2, epsilon);
    }
}
