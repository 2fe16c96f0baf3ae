package org.baid4j.training.engine;

import org.baid4j.core.plan.TrainingLoss;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * DL4J's {@link ParallelWrapper} on this machine: {@code workers} replicas of the graph, each
 * fitting its own batches, their parameters and updater states averaged every
 * {@code averagingFrequency} rounds (a round gives each worker one batch); worker 0 trains the
 * graph itself. DL4J wants two workers or more. Replicas are made from the graph at
 * each epoch's start, after the engine's validation and checkpoint; updates of the rounds after an
 * epoch's last averaging stay on their replicas (none with averaging every round).
 */
public final class ParallelWrapperFit implements FitStrategy {
    private final int workers;
    private final int averagingFrequency;

    public ParallelWrapperFit(int workers, int averagingFrequency) {
        if (workers < 2) {
            throw new IllegalArgumentException("ParallelWrapper needs at least 2 workers, got " + workers
                    + " (one worker is the local fit)");
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("the averaging frequency must be at least 1, got " + averagingFrequency);
        }
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
    }

    @Override
    public void fitEpoch(ComputationGraph graph, Iterator<MultiDataSet> batches, OwnStep ownStep, Steps steps) {
        Collection<TrainingListener> own = new ArrayList<>(graph.getListeners());
        StepLosses losses = new StepLosses(steps);
        FirstRound first = new FirstRound(graph, losses);
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph)
                .workers(workers)
                .averagingFrequency(averagingFrequency)
                .averageUpdaters(true)
                .reportScoreAfterAveraging(false)
                .prefetchBuffer(0)   // the task's batches come prefetched already
                .workspaceMode(graph.getConfiguration().getTrainingWorkspaceMode())
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .modelParamsSupplier(first::parameters)
                .updaterParamsSupplier(first::updaterState)
                .build();
        first.wrapper = wrapper;
        try {
            wrapper.setListeners(losses);
            wrapper.fit(new Batches(batches));
        } finally {
            graph.setListeners(own);   // the wrapper took them for its replicas
        }
    }

    /** DL4J's ParallelWrapper averages only after every replica has fitted its K batches: fewer, and it never does. */
    @Override
    public void checkEpoch(int batchesPerEpoch) {
        if (batchesPerEpoch < workers * averagingFrequency) {
            throw new IllegalArgumentException("an epoch has " + batchesPerEpoch + " batches, fewer than --workers "
                    + workers + " x --averaging-frequency " + averagingFrequency + " = " + workers * averagingFrequency
                    + ": the replicas would never average; give fewer workers, a lower frequency or a smaller --batch");
        }
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "ParallelWrapper, %d workers, averaging every %d rounds", workers,
                averagingFrequency);
    }

    /**
     * Works around a race in M2.1's ParallelWrapper: each replica copies the graph when its
     * thread starts, which can be after worker 0 (the graph itself) has fitted the first batch,
     * so that replica starts from the stepped parameters. Before the first round this waits for
     * every replica to finish its copy and hands them all the graph's parameters and updater state (the wrapper's
     * own suppliers, read at each round's start; null afterwards: nothing to change).
     */
    private static final class FirstRound {
        private final ComputationGraph graph;
        private final TrainingListener mark;
        volatile ParallelWrapper wrapper;
        private boolean parametersGiven;
        private boolean stateGiven;

        FirstRound(ComputationGraph graph, TrainingListener mark) {
            this.graph = graph;
            this.mark = mark;
        }

        INDArray parameters() {
            if (parametersGiven) {
                return null;
            }
            parametersGiven = true;
            awaitReplicas();
            return graph.params().dup();
        }

        INDArray updaterState() {
            if (stateGiven) {
                return null;
            }
            stateGiven = true;
            INDArray state = graph.getUpdater().getStateViewArray();
            return state == null ? null : state.dup();
        }

        private boolean ready(Trainer[] zoo) {
            for (int i = 0; i < zoo.length; i++) {
                Model m = zoo[i] == null ? null : zoo[i].getModel();
                if (m == null || (i > 0 && m == graph) || !((ComputationGraph) m).getListeners().contains(mark)) {
                    return false;
                }
            }
            return true;
        }

        private void awaitReplicas() {
            long deadline = System.nanoTime() + 300_000_000_000L;
            try {
                java.lang.reflect.Field zooField = ParallelWrapper.class.getDeclaredField("zoo");
                zooField.setAccessible(true);
                while (true) {
                    Trainer[] zoo = (Trainer[]) zooField.get(wrapper);
                    // A replica is ready once its thread has made it (until then a trainer holds the graph
                    // itself) and given it the wrapper's listeners, which it does after copying the graph.
                    if (zoo != null && ready(zoo)) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ParallelWrapper's replicas did not start within 5 minutes");
                    }
                    Thread.sleep(5);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this DL4J's ParallelWrapper has no replica list to wait for", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while ParallelWrapper's replicas started", e);
            }
        }
    }

    /**
     * Each replica's step loss, without the decay term as {@link TrainingLoss} defines it: the term
     * is read when the gradient is ready, before the update.
     */
    private static final class StepLosses extends BaseTrainingListener {
        private final Steps steps;
        private final Map<Model, Double> penalties = new IdentityHashMap<>();

        StepLosses(Steps steps) {
            this.steps = steps;
        }

        @Override
        public void onGradientCalculation(Model model) {
            double penalty = TrainingLoss.inScore((ComputationGraph) model);
            synchronized (penalties) {
                penalties.put(model, penalty);
            }
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            Double penalty;
            synchronized (penalties) {
                penalty = penalties.remove(model);
            }
            steps.done(StepResult.loss(model.score() - (penalty == null ? 0 : penalty)), model.batchSize());
        }
    }

    /** The epoch's batches as the iterator ParallelWrapper reads. */
    private static final class Batches implements MultiDataSetIterator {
        private final Iterator<MultiDataSet> batches;

        Batches(Iterator<MultiDataSet> batches) {
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public MultiDataSet next() {
            return batches.next();
        }

        @Override
        public MultiDataSet next(int num) {
            throw new UnsupportedOperationException("batches come whole");
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("batches come preprocessed");
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("one pass per epoch");
        }
    }
}
