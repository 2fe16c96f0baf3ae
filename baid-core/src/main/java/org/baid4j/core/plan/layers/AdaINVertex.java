package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.AdaIN;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link AdaIN} at run time, on the (image, channel) maps as rows: NCHW keeps each map contiguous,
 * so the statistics are row reductions and the output a per-row scale and shift. With
 * {@code u = c - mu_c}, {@code s} the unbiased standard deviation over the L values of a map and
 * {@code sigma = s + eps}, the output is {@code y = sigma_s * u / sigma_c + mu_s} and, for the
 * upstream gradient g,
 * <pre>
 *   dL/dc = sigma_s / sigma_c * (g - mean(g)) - sigma_s * sum(g u) / (sigma_c^2 (L - 1) s_c) * u
 *   dL/ds = mean(g) + sum(g u) / sigma_c * (style - mu_s) / ((L - 1) s_s)
 * </pre>
 * the statistics' gradients taken through the mean and the root as autograd does. Where a map is
 * constant (s = 0) the spread's term is 0 (autograd would give 0/0).
 */
public class AdaINVertex extends BaseGraphVertex {
    /** Per row, from the forward pass: content mean, content s, style mean, style s. */
    private double[] contentMean;
    private double[] contentStd;
    private double[] styleMean;
    private double[] styleStd;

    public AdaINVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("AdaIN " + vertexName + ": inputs not set");
        }
        INDArray content = rows(inputs[0]);
        INDArray style = rows(inputs[1]);
        contentMean = content.mean(1).toDoubleVector();
        contentStd = content.std(true, 1).toDoubleVector();
        styleMean = style.mean(1).toDoubleVector();
        styleStd = style.std(true, 1).toDoubleVector();
        int n = contentMean.length;
        double[] scale = new double[n];
        for (int r = 0; r < n; r++) {
            scale[r] = (styleStd[r] + AdaIN.EPSILON) / (contentStd[r] + AdaIN.EPSILON);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, inputs[0].dataType(), inputs[0].shape(), 'c');
        INDArray outRows = out.reshape('c', content.rows(), content.columns());
        outRows.assign(content).subiColumnVector(column(contentMean, content)).muliColumnVector(column(scale, content))
                .addiColumnVector(column(styleMean, content));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward() || contentMean == null) {
            throw new IllegalStateException("AdaIN " + vertexName + ": no forward pass or no gradient to go back with");
        }
        INDArray content = rows(inputs[0]);
        INDArray style = rows(inputs[1]);
        INDArray g = rows(epsilon);
        long length = content.columns();
        int n = contentMean.length;
        DataType type = inputs[0].dataType();

        // u = c - mu_c, then per row: sum(g) and sum(g u)
        INDArray dContent = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, inputs[0].shape(), 'c');
        INDArray u = dContent.reshape('c', content.rows(), length);
        u.assign(content).subiColumnVector(column(contentMean, content));
        double[] sumG = g.sum(1).toDoubleVector();
        double[] sumGu = Nd4j.exec(new Dot(g, u, Nd4j.createUninitialized(type, n), 1)).toDoubleVector();

        double[] gScale = new double[n];
        double[] uScale = new double[n];
        double[] shift = new double[n];
        double[] sUnits = new double[n];
        double[] dStyleMean = new double[n];
        for (int r = 0; r < n; r++) {
            double sigmaC = contentStd[r] + AdaIN.EPSILON;
            double sigmaS = styleStd[r] + AdaIN.EPSILON;
            gScale[r] = sigmaS / sigmaC;
            uScale[r] = contentStd[r] == 0 ? 0 : -sigmaS * sumGu[r] / (sigmaC * sigmaC * (length - 1) * contentStd[r]);
            shift[r] = -gScale[r] * sumG[r] / length;
            sUnits[r] = styleStd[r] == 0 ? 0 : sumGu[r] / sigmaC / ((length - 1) * styleStd[r]);
            dStyleMean[r] = sumG[r] / length;
        }
        // dc = gScale * g + uScale * u + shift, built in u's array: u * uScale + shift, then + g * gScale
        u.muliColumnVector(column(uScale, content)).addiColumnVector(column(shift, content));
        u.addi(g.mulColumnVector(column(gScale, content)));

        // ds = dStyleMean + sUnits * (style - mu_s)
        INDArray dStyle = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, inputs[1].shape(), 'c');
        dStyle.reshape('c', style.rows(), length).assign(style).subiColumnVector(column(styleMean, style))
                .muliColumnVector(column(sUnits, style)).addiColumnVector(column(dStyleMean, style));
        return new Pair<>(null, new INDArray[]{dContent, dStyle});
    }

    /** [B, C, H, W] as [B*C, H*W] rows (a copy where the array is not contiguous in C order). */
    private static INDArray rows(INDArray a) {
        if (a.rank() != 4) {
            throw new IllegalArgumentException("AdaIN takes [B, C, H, W] maps, got " + java.util.Arrays.toString(a.shape()));
        }
        INDArray c = a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
        return c.reshape('c', a.size(0) * a.size(1), a.size(2) * a.size(3));
    }

    private static INDArray column(double[] values, INDArray like) {
        return Nd4j.createFromArray(values).castTo(like.dataType()).reshape(values.length, 1);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("AdaIN has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public String toString() {
        return "AdaINVertex(" + vertexName + ")";
    }
}
