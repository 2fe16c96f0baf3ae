package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ReLU} in a network. DL4J's activation layer copies its input (in training, and in
 * inference whenever the input lives in another workspace, which is every layer of DL4J's
 * inference pass) and applies ReLU to the copy; its backward pass copies the input again for a
 * derivative op. Here the forward pass writes ReLU(x) in one pass, and the backward pass passes
 * the gradient where the output is positive and zero elsewhere, as torch's
 * {@code threshold_backward}, from the output alone. The same numbers as DL4J's: ReLU is exact.
 */
public class ReLULayer extends ActivationLayer {
    /** The training forward pass's output, which the backward pass reads. */
    private INDArray output;

    public ReLULayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(),
                input.ordering());
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out));
        output = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (output == null) {
            throw new IllegalStateException("ReLU's backward pass needs a training forward pass first (layer "
                    + layerId() + ")");
        }
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, output.dataType(),
                output.shape(), output.ordering());
        // sign(output) is 1 where ReLU passed its input and 0 elsewhere: epsilon times that, in
        // two vectorised passes (ND4J's relu_bp and CompareAndReplace call a function per element,
        // three and nine times slower).
        Nd4j.getExecutioner().exec(new Sign(output, gradient));
        Nd4j.getExecutioner().exec(new MulOp(gradient, epsilon, gradient));
        return new Pair<>(new DefaultGradient(), gradient);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }
}
