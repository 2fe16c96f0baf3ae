package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rewrites 4-d activations from one channel layout to the other (a copy, so that the next layer
 * reads contiguous memory), and gradients back; where no gradient comes back (only frozen layers
 * read it, as GAB and the VGG read the image), it hands zeros on, since DL4J adds up the gradients
 * of a vertex's readers and cannot add a missing one. The CPU plan puts one where channels-last
 * layers meet the rest ({@link org.baid4j.core.plan.CpuPlan}). Use it in a {@code PreprocessorVertex}.
 */
public class ChannelsLayout extends BaseInputPreProcessor {
    private CNN2DFormat to = CNN2DFormat.NHWC;
    private transient long[] lastInputShape;

    /** For deserialisation. */
    protected ChannelsLayout() {
    }

    private ChannelsLayout(CNN2DFormat to) {
        this.to = to;
    }

    /** NCHW in, NHWC out. */
    public static ChannelsLayout toChannelsLast() {
        return new ChannelsLayout(CNN2DFormat.NHWC);
    }

    /** NHWC in, NCHW out. */
    public static ChannelsLayout toChannelsFirst() {
        return new ChannelsLayout(CNN2DFormat.NCHW);
    }

    public CNN2DFormat getTo() {
        return to;
    }

    public void setTo(CNN2DFormat to) {
        this.to = to;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        lastInputShape = input.shape();
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, permute(input, to), 'c');
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (output == null) {
            return workspaceMgr.create(ArrayType.ACTIVATION_GRAD, Nd4j.dataType(), lastInputShape);
        }
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, permute(output, from()), 'c');
    }

    private CNN2DFormat from() {
        return to == CNN2DFormat.NHWC ? CNN2DFormat.NCHW : CNN2DFormat.NHWC;
    }

    private static INDArray permute(INDArray x, CNN2DFormat to) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("expected 4-d activations, got shape " + java.util.Arrays.toString(x.shape()));
        }
        return to == CNN2DFormat.NHWC ? x.permute(0, 2, 3, 1) : x.permute(0, 3, 1, 2);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException("channel layout change needs convolutional input, got " + inputType);
        }
        return InputType.convolutional(c.getHeight(), c.getWidth(), c.getChannels(), to);
    }

    @Override
    public ChannelsLayout clone() {
        return (ChannelsLayout) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelsLayout other && other.to == to;
    }

    @Override
    public int hashCode() {
        return to.hashCode();
    }
}
