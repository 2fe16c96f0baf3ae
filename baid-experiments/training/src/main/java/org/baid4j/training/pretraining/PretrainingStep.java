package org.baid4j.training.pretraining;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimiser step of the pretraining, as the reference's loop makes it: before the ranking
 * epoch the degraded images go through the network and the degradation loss is minimised; from it
 * on the original, the degraded image and both partners go through it, each a forward pass of its
 * own (BatchNorm normalises each with that pass's batch statistics, and moves its running
 * statistics once per pass, in that order), and the loss is
 * {@code degWeight x degradation + rankWeight x ranking}.
 *
 * <p>DL4J has no shared-weight passes in one graph, so the step runs the graph once per pass and
 * feeds the losses' gradients back as external errors ({@link ComputationGraph#backpropGradient}),
 * adding up the parameters' gradients; BatchNorm's running statistics, which DL4J moves through
 * pseudo-gradients, are replaced by the four updates in the reference's order. Then the updater
 * (PyTorch's Adam with coupled L2) takes the summed gradient.
 */
public final class PretrainingStep {
    private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    private static final String VAR = BatchNormalizationParamInitializer.GLOBAL_VAR;

    private final double degradationWeight;
    private final double rankingWeight;

    public PretrainingStep(double degradationWeight, double rankingWeight) {
        this.degradationWeight = degradationWeight;
        this.rankingWeight = rankingWeight;
    }

    /** What one step measured: both losses (the ranking loss NaN before its epoch) and the correct predictions. */
    public record Outcome(double loss, double degradationLoss, double rankingLoss, int correct, int examples) {
    }

    /**
     * The step on a batch: {@code images} are the degraded images alone (before the ranking
     * epoch), or the original, degraded, partner 1 and partner 2 images, each [B, 3, S, S].
     */
    public Outcome fit(ComputationGraph graph, INDArray[] images, int[] ops) {
        Outcome outcome = gradient(graph, images, ops);
        apply(graph);
        return outcome;
    }

    /** The updater's step on the gradient {@link #gradient} left (the loss gradients are means already: batch size 1). */
    public static void apply(ComputationGraph graph) {
        graph.getUpdater().update(graph.gradient(), graph.getIterationCount(), graph.getEpochCount(), 1,
                LayerWorkspaceMgr.noWorkspaces());
        graph.params().subi(graph.gradient().gradient());
        graph.getConfiguration().setIterationCount(graph.getIterationCount() + 1);
    }

    /**
     * Leaves the step's gradient in {@code graph.gradient()} (the loss's gradient, before weight
     * decay, which the updater adds; BatchNorm's entries the running-statistics update) and returns
     * the losses. {@link #fit} applies it.
     */
    public Outcome gradient(ComputationGraph graph, INDArray[] images, int[] ops) {
        if (images.length == 1) {
            Map<String, INDArray> a = graph.feedForward(new INDArray[]{images[0]}, true, false);
            PretrainingLosses.Result deg = PretrainingLosses.degradation(a.get(GabPretrainingNetwork.LOGITS), ops);
            graph.backpropGradient(Nd4j.zerosLike(a.get(GabPretrainingNetwork.FEATURES)),
                    deg.gradients()[0].mul(degradationWeight));
            return new Outcome(degradationWeight * deg.loss(), deg.loss(), Double.NaN, deg.correct(), ops.length);
        }
        if (images.length != 4) {
            throw new IllegalArgumentException("a pretraining batch holds 1 or 4 image arrays, not " + images.length);
        }
        // Passes in the reference's order: original, degraded, partner 1, partner 2. The degraded
        // pass runs last, so that its stored activations serve its backward pass without a rerun.
        INDArray[] features = new INDArray[4];
        for (int k : new int[]{0, 2, 3}) {
            features[k] = graph.feedForward(new INDArray[]{images[k]}, true, true).get(GabPretrainingNetwork.FEATURES);
        }
        Map<String, INDArray> degraded = graph.feedForward(new INDArray[]{images[1]}, true, false);
        features[1] = degraded.get(GabPretrainingNetwork.FEATURES);
        INDArray logits = degraded.get(GabPretrainingNetwork.LOGITS);
        PretrainingLosses.Result deg = PretrainingLosses.degradation(logits, ops);
        PretrainingLosses.Result rank = PretrainingLosses.ranking(features[0], features[1], features[2], features[3], ops);

        Map<String, INDArray[]> statistics = new LinkedHashMap<>();
        INDArray summed = null;
        INDArray noLogitError = Nd4j.zerosLike(logits);
        for (int k : new int[]{1, 3, 2, 0}) {
            if (k != 1) {
                graph.feedForward(new INDArray[]{images[k]}, true, false);
            }
            INDArray logitError = k == 1 ? deg.gradients()[0].mul(degradationWeight) : noLogitError;
            Gradient g = graph.backpropGradient(rank.gradients()[k].mul(rankingWeight), logitError);
            if (summed == null) {
                summed = g.gradient().dup();
            } else {
                summed.addi(g.gradient());
            }
            for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
                if (isRunningStatistic(graph, e.getKey())) {
                    statistics.computeIfAbsent(e.getKey(), key -> new INDArray[4])[k] = e.getValue().dup();
                }
            }
        }
        Gradient gradient = graph.gradient();
        gradient.gradient().assign(summed);
        for (Map.Entry<String, INDArray[]> e : statistics.entrySet()) {
            gradient.gradientForVariable().get(e.getKey()).assign(sequentialUpdate(graph, e.getKey(), e.getValue()));
        }
        double loss = degradationWeight * deg.loss() + rankingWeight * rank.loss();
        return new Outcome(loss, deg.loss(), rank.loss(), deg.correct(), ops.length);
    }

    private static boolean isRunningStatistic(ComputationGraph graph, String key) {
        int cut = key.lastIndexOf('_');
        String param = key.substring(cut + 1);
        return (param.equals(MEAN) || param.equals(VAR))
                && graph.getLayer(key.substring(0, cut)).conf().getLayer() instanceof BatchNormalization;
    }

    /**
     * DL4J moves a running statistic r by the pseudo-gradient {@code g = (1 - decay)(r - batch)}
     * (r - g). Each pass's g gives its batch value; the four updates made one after the other, as
     * PyTorch makes them, end at r4; the pseudo-gradient that lands there is r - r4.
     */
    private static INDArray sequentialUpdate(ComputationGraph graph, String key, INDArray[] perPass) {
        int cut = key.lastIndexOf('_');
        BatchNormalization bn = (BatchNormalization) graph.getLayer(key.substring(0, cut)).conf().getLayer();
        double decay = bn.getDecay();
        INDArray r = graph.getParam(key).reshape(perPass[0].shape());
        INDArray running = r.dup();
        for (INDArray g : perPass) {
            INDArray batch = r.sub(g.div(1 - decay));
            running.muli(decay).addi(batch.muli(1 - decay));
        }
        return r.sub(running);
    }
}
