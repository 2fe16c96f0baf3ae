package org.baid4j.training.pretraining;

import org.baid4j.data.pretraining.Degradation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pretraining's losses as the reference computes them ({@code pretrain_losses.py}), with their
 * gradients, which the training step feeds back into the network as external errors.
 *
 * <ul>
 *   <li>Degradation loss: the batch mean of {@code -log softmax(logits)[op]}.</li>
 *   <li>Ranking loss: the layer4 features of the original, the degraded image and its two triplet
 *       partners, each L2-normalised over (C, H, W); {@code d_x = ||n_orig - n_x||^2}; for a sample
 *       of operation 0-26 of strength s, with d = degraded, t1 and t2 the partners in the
 *       reference's order: s = 0: {@code l1 = d - t1 + 1, l2 = t1 - t2 + 1}; s = 1:
 *       {@code l1 = t1 - d + 1, l2 = d - t2 + 1}; s = 2: {@code l1 = t1 - t2 + 1, l2 = t2 - d + 1};
 *       its loss {@code max(0, max(0, l1) + max(0, l2) - 1)}, averaged over those samples (at
 *       least one): stronger degradations farther from the original, margin 1.</li>
 * </ul>
 */
public final class PretrainingLosses {
    private PretrainingLosses() {
    }

    /** A loss, its gradient with respect to each input array, and (for the degradation loss) the correct predictions. */
    public record Result(double loss, INDArray[] gradients, int correct) {
    }

    /** The degradation loss of {@code logits} [B, 30] for operations {@code ops}; the gradient is {@code (softmax - onehot) / B}. */
    public static Result degradation(INDArray logits, int[] ops) {
        int b = ops.length;
        double[][] z = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] grad = new double[b][];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < b; i++) {
            // -log softmax(z)[op] = logsumexp(z) - z[op]: finite however far apart the logits are
            double max = Double.NEGATIVE_INFINITY;
            int argMax = 0;
            for (int k = 0; k < z[i].length; k++) {
                if (z[i][k] > max) {
                    max = z[i][k];
                    argMax = k;
                }
            }
            double sum = 0;
            for (double v : z[i]) {
                sum += Math.exp(v - max);
            }
            loss += max + Math.log(sum) - z[i][ops[i]];
            grad[i] = new double[z[i].length];
            for (int k = 0; k < z[i].length; k++) {
                grad[i][k] = Math.exp(z[i][k] - max) / sum / b;
            }
            grad[i][ops[i]] -= 1.0 / b;
            if (argMax == ops[i]) {
                correct++;
            }
        }
        return new Result(loss / b, new INDArray[]{Nd4j.create(grad).castTo(logits.dataType())}, correct);
    }

    /**
     * The ranking loss of the features of the originals, degraded images and partners (each
     * [B, C, H, W]) for operations {@code ops}; gradients in that order.
     */
    public static Result ranking(INDArray original, INDArray degraded, INDArray partner1, INDArray partner2, int[] ops) {
        int b = ops.length;
        INDArray[] f = {flat(original), flat(degraded), flat(partner1), flat(partner2)};
        INDArray[] norms = new INDArray[4];
        INDArray[] n = new INDArray[4];
        for (int k = 0; k < 4; k++) {
            norms[k] = Transforms.max(f[k].norm2(1), 1e-12).reshape(b, 1);
            n[k] = f[k].divColumnVector(norms[k]);
        }
        // d_x for x = degraded, partner 1, partner 2
        INDArray[] diff = new INDArray[3];
        double[][] d = new double[3][];
        for (int x = 0; x < 3; x++) {
            diff[x] = n[0].sub(n[x + 1]);
            d[x] = diff[x].mul(diff[x]).sum(1).toDoubleVector();
        }
        int ranked = 0;
        double loss = 0;
        double[][] coefficient = new double[3][b];   // dLoss / d d_x, before the average
        for (int i = 0; i < b; i++) {
            Degradation op = Degradation.of(ops[i]);
            if (!op.ranked()) {
                continue;
            }
            ranked++;
            // (first, second) of each hinge: l = d[first] - d[second] + 1
            int[][] hinges = switch (op.strength()) {
                case 0 -> new int[][]{{0, 1}, {1, 2}};
                case 1 -> new int[][]{{1, 0}, {0, 2}};
                default -> new int[][]{{1, 2}, {2, 0}};
            };
            double l1 = d[hinges[0][0]][i] - d[hinges[0][1]][i] + 1;
            double l2 = d[hinges[1][0]][i] - d[hinges[1][1]][i] + 1;
            double sample = Math.max(0, l1) + Math.max(0, l2) - 1;
            if (sample > 0) {
                loss += sample;
                double[] l = {l1, l2};
                for (int h = 0; h < 2; h++) {
                    if (l[h] > 0) {
                        coefficient[hinges[h][0]][i] += 1;
                        coefficient[hinges[h][1]][i] -= 1;
                    }
                }
            }
        }
        double scale = 1.0 / Math.max(ranked, 1);
        // d d_x / d n_orig = 2 (n_orig - n_x); d d_x / d n_x = -2 (n_orig - n_x)
        INDArray[] dn = new INDArray[4];
        dn[0] = Nd4j.zerosLike(n[0]);
        for (int x = 0; x < 3; x++) {
            INDArray c = Nd4j.createFromArray(coefficient[x]).castTo(n[0].dataType()).reshape(b, 1).muli(2 * scale);
            INDArray term = diff[x].mulColumnVector(c);
            dn[0].addi(term);
            dn[x + 1] = term.neg();
        }
        INDArray[] gradients = new INDArray[4];
        INDArray[] shapes = {original, degraded, partner1, partner2};
        for (int k = 0; k < 4; k++) {
            // through n = f / ||f||: df = (dn - n (n . dn)) / ||f||
            INDArray dot = n[k].mul(dn[k]).sum(1).reshape(b, 1);
            gradients[k] = dn[k].sub(n[k].mulColumnVector(dot)).divColumnVector(norms[k]).reshape(shapes[k].shape());
        }
        return new Result(loss * scale, gradients, 0);
    }

    private static INDArray flat(INDArray features) {
        return features.reshape(features.size(0), features.length() / features.size(0));
    }
}
