package org.baid4j.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Gives each worker's network the driver's iteration and epoch counts. Workers build their
 * network from {@code configuration.clone()}, and M2.1's clone leaves both at 0: Adam's bias
 * correction would restart every round and an epoch-based learning rate stay at epoch 0's. The
 * driver sets the counts before each round; the hook travels to the workers with the round.
 */
final class ScheduleCounters implements TrainingHook {
    private volatile int iteration;
    private volatile int epoch;

    void set(ComputationGraphConfiguration driver) {
        iteration = driver.getIterationCount();
        epoch = driver.getEpochCount();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        ComputationGraphConfiguration conf = ((ComputationGraph) model).getConfiguration();
        if (conf.getIterationCount() < iteration) {   // a worker's first batch of the round; later ones count on
            conf.setIterationCount(iteration);
        }
        conf.setEpochCount(epoch);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        throw new UnsupportedOperationException("SAAN trains on MultiDataSets");
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }
}
