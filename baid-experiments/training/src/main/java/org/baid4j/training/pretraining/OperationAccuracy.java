package org.baid4j.training.pretraining;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.data.pipeline.BatchEngine;
import org.baid4j.data.pretraining.Degradation;
import org.baid4j.data.pretraining.PretrainingRenderer;
import org.baid4j.data.pretraining.PretrainingSample;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a pretraining network tells the 30 operations apart on a set of samples, in inference
 * mode: the degradation loss, the ranking loss, the accuracy, and the accuracy per operation.
 */
public record OperationAccuracy(double degradationLoss, double rankingLoss, double accuracy, int[] correct, int[] total) {

    /** Renders {@code samples} (all four images each) and runs {@code network} on them. */
    public static OperationAccuracy measure(GabPretrainingNetwork network, PretrainingRenderer renderer,
                                            List<PretrainingSample> samples, int batch, int threads) {
        int[] correct = new int[Degradation.COUNT];
        int[] total = new int[Degradation.COUNT];
        double degSum = 0;
        double rankSum = 0;
        int n = 0;
        int rankedBatches = 0;
        try (BatchEngine<PretrainingRenderer.Request> engine = new BatchEngine<>(renderer.sampleShapes(), renderer, threads,
                2 * threads + 2)) {
            List<List<PretrainingRenderer.Request>> batches = new ArrayList<>();
            for (int from = 0; from < samples.size(); from += batch) {
                batches.add(samples.subList(from, Math.min(samples.size(), from + batch)).stream()
                        .map(s -> new PretrainingRenderer.Request(s, true)).toList());
            }
            engine.submit(batches);
            while (engine.hasNext()) {
                BatchEngine.Batch<PretrainingRenderer.Request> b = engine.next();
                if (b.size() == 0) {
                    continue;
                }
                INDArray[] a = b.arrays();
                int[] ops = a[PretrainingRenderer.OPERATION].reshape(-1).toIntVector();
                INDArray[] features = new INDArray[4];
                INDArray logits = null;
                int[] order = {PretrainingRenderer.ORIGINAL, PretrainingRenderer.DEGRADED, PretrainingRenderer.PARTNER_1,
                        PretrainingRenderer.PARTNER_2};
                for (int k = 0; k < 4; k++) {
                    INDArray[] out = network.outputs(a[order[k]]);
                    features[k] = out[0];
                    if (k == 1) {
                        logits = out[1];
                    }
                }
                PretrainingLosses.Result deg = PretrainingLosses.degradation(logits, ops);
                PretrainingLosses.Result rank = PretrainingLosses.ranking(features[0], features[1], features[2], features[3], ops);
                degSum += deg.loss() * ops.length;
                rankSum += rank.loss();
                rankedBatches++;
                n += ops.length;
                INDArray predicted = Nd4j.argMax(logits, 1);
                for (int i = 0; i < ops.length; i++) {
                    total[ops[i]]++;
                    if (predicted.getInt(i) == ops[i]) {
                        correct[ops[i]]++;
                    }
                }
            }
        }
        int right = 0;
        for (int c : correct) {
            right += c;
        }
        return new OperationAccuracy(n == 0 ? Double.NaN : degSum / n, rankedBatches == 0 ? Double.NaN : rankSum / rankedBatches,
                n == 0 ? Double.NaN : (double) right / n, correct, total);
    }

    /** The per-operation table, in Markdown. */
    public String table() {
        StringBuilder md = new StringBuilder("| op | operation | samples | accuracy |\n|---|---|---|---|\n");
        for (Degradation op : Degradation.values()) {
            int t = total[op.number()];
            md.append(String.format(Locale.ROOT, "| %02d | %s | %d | %s |%n", op.number(), op.describe(), t,
                    t == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * correct[op.number()] / t)));
        }
        return md.append(String.format(Locale.ROOT, "| | all | %d | %.1f%% (chance %.1f%%) |%n",
                java.util.Arrays.stream(total).sum(), 100 * accuracy, 100.0 / Degradation.COUNT)).toString();
    }

    /** The same as CSV: op,operation,samples,correct. */
    public String csv() {
        StringBuilder sb = new StringBuilder("op,operation,samples,correct\n");
        for (Degradation op : Degradation.values()) {
            sb.append(op.number()).append(",\"").append(op.describe()).append("\",").append(total[op.number()]).append(',')
                    .append(correct[op.number()]).append('\n');
        }
        return sb.toString();
    }
}
