package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.onednn.ConvolutionBackward;
import org.baid4j.core.plan.onednn.ConvolutionForward;
import org.baid4j.core.plan.onednn.KeptWeights;
import org.baid4j.core.plan.onednn.OneDnn;
import org.baid4j.core.plan.onednn.WinogradForward;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * DL4J's convolution layer whose inference runs on a oneDNN primitive of its own, with its weights
 * kept in the primitive's layout ({@link ConvolutionForward}), whose NHWC training forward pass goes
 * straight to the oneDNN helper (see {@link ChannelsLastConvolution}), and whose backward pass, without an activation of its own (the
 * ResNets' convolutions, BN after each; the non-local block's, see {@link OneDnnConvolution}), goes
 * straight to the helper too, in either layout: DL4J's layer computes the convolution's forward
 * pass again in every backward pass, for the activation's derivative. Without a helper, or for
 * "Same" padding, DL4J's own code runs.
 */
public class ChannelsLastConvolutionLayer extends ConvolutionLayer implements FixedParameters {
    /** The weights in the layouts of this layer's own primitives. */
    protected final KeptWeights keptWeights = new KeptWeights();
    /** The weights with a BatchNorm folded in, in the primitive's layout. */
    private final KeptWeights foldedWeights = new KeptWeights();
    private FoldedBatchNorm folded;
    private boolean fuseNext;
    private INDArray addend;

    public ChannelsLastConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (helper == null && OneDnn.available()) {
            helper = new MKLDNNConvHelper(dataType);   // DL4J gives it only with its JVM-wide switch on
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray addend = this.addend;
        boolean fused = this.fuseNext;
        this.fuseNext = false;
        this.addend = null;
        ConvolutionForward.Settings settings = training || !keptWeights.fixed() ? null : inferenceSettings();
        if (settings == null) {
            if (fused) {
                throw new IllegalStateException("layer " + layerId() + " was asked for its fused BatchNorm outside a scoring pass");
            }
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        validateInputRank();
        INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        validateInputDepth(weights.size(1));
        INDArray convBias = hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray bias = convBias != null ? convBias : zeroBias();
        Supplier<INDArray> foldedInto = null;   // the weights with the BatchNorm folded in, asked for only when not kept
        if (fused) {
            bias = folded.bias(weights, convBias);
            settings = settings.withFusion(folded.sum(), folded.relu());
            FoldedBatchNorm fold = folded;
            INDArray convWeights = weights;
            foldedInto = () -> fold.weights(convWeights, convBias);
        }
        INDArray x = input.castTo(DataType.FLOAT);
        long[] shape = settings.channelsLast()
                ? new long[]{x.size(0), outputSize(x.size(1), 0), outputSize(x.size(2), 1), weights.size(0)}
                : new long[]{x.size(0), weights.size(0), outputSize(x.size(2), 0), outputSize(x.size(3), 1)};
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape);
        if (settings.sum()) {
            out.assign(addend);
        }
        if (winograd() && !settings.sum()) {
            // A ResNet's 3x3 convolutions, in a scoring pass: Winograd, as VGG's (WinogradConvolutionLayer).
            if (fused) {
                WinogradForward.forwardFixed(x, weights.size(0), foldedInto, foldedWeights, bias, settings.relu(), out);
            } else {
                WinogradForward.forward(x, weights, keptWeights, bias, settings.relu(), out);
            }
        } else if (fused) {
            ConvolutionForward.forwardFixed(x, weights.size(0), foldedInto, foldedWeights, bias, settings, out);
        } else {
            ConvolutionForward.forward(x, weights, keptWeights, bias, settings, out);
        }
        return out;
    }

    /** Whether this layer's shape suits {@link WinogradForward}: 3x3, stride 1, pad 1, channels last, float, no dropout. */
    protected boolean winograd() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        return dataType == DataType.FLOAT && c.getCnn2dDataFormat() == CNN2DFormat.NHWC
                && c.getConvolutionMode() != ConvolutionMode.Same && c.getIDropout() == null
                && Arrays.equals(c.getKernelSize(), new int[]{3, 3}) && Arrays.equals(c.getStride(), new int[]{1, 1})
                && Arrays.equals(c.getPadding(), new int[]{1, 1}) && Arrays.equals(c.getDilation(), new int[]{1, 1})
                && (c.getActivationFn() instanceof ActivationIdentity || c.getActivationFn() instanceof ActivationReLU)
                && WinogradForward.supports(c.getNIn(), c.getNOut());
    }

    /**
     * Whether the parameters are taken to be constant (see {@link org.baid4j.core.plan.PlannedGraph#fixParameters}):
     * then inference runs on this layer's own primitive, its weights reordered once. With parameters that
     * may change, reordering them on every call (libnd4j's helper) costs what comparing them would.
     */
    @Override
    public void fixParameters(boolean fixed) {
        keptWeights.fix(fixed);
        foldedWeights.fix(fixed);
        if (!fixed) {
            folded = null;
        }
    }

    @Override
    public void parametersChanged() {
        keptWeights.weightsChanged();
        foldedWeights.weightsChanged();
        if (folded != null) {
            folded.clear();
        }
    }

    /** Whether inference, with fixed parameters, runs on this layer's own primitive (see {@link ConvolutionForward}). */
    public boolean canRunOwnPrimitive() {
        return inferenceSettings() != null;
    }

    /** The BatchNorm (and what follows it) that a scoring pass folds into this convolution. */
    public void foldBatchNorm(FoldedBatchNorm batchNorm) {
        this.folded = batchNorm;
    }

    /**
     * Makes the next inference call compute the folded BatchNorm too (a scoring pass, which then
     * skips the BatchNorm's vertex), adding {@code addend} where the fold has a sum.
     */
    public void fuseNext(INDArray addend) {
        if (folded == null || !keptWeights.fixed()) {
            throw new IllegalStateException("layer " + layerId() + " has no BatchNorm folded in");
        }
        if (folded.sum() && addend == null) {
            throw new IllegalArgumentException("layer " + layerId() + " adds a residual branch: it needs it");
        }
        this.fuseNext = true;
        this.addend = addend;
    }

    /** The settings of {@link ConvolutionForward} for this layer, or null where it cannot run it. */
    private ConvolutionForward.Settings inferenceSettings() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        boolean relu = c.getActivationFn() instanceof ActivationReLU;
        if (dataType != DataType.FLOAT || !ConvolutionForward.available() || c.getConvolutionMode() == ConvolutionMode.Same
                || c.getIDropout() != null || c.getDilation()[0] != 1 || c.getDilation()[1] != 1
                || !relu && !(c.getActivationFn() instanceof ActivationIdentity)) {
            return null;
        }
        return new ConvolutionForward.Settings(c.getKernelSize()[0], c.getKernelSize()[1], c.getStride()[0], c.getStride()[1],
                c.getPadding()[0], c.getPadding()[1], c.getCnn2dDataFormat() == CNN2DFormat.NHWC, false, relu);
    }

    private long outputSize(long in, int dimension) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        return ConvolutionForward.outputSize(in, c.getKernelSize()[dimension], c.getStride()[dimension], c.getPadding()[dimension]);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        if (helper == null || helperCountFail > 0 || c.getCnn2dDataFormat() != CNN2DFormat.NHWC
                || c.getConvolutionMode() == ConvolutionMode.Same) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        assertInputSet(false);
        if (preOutput != null && forBackprop) {
            return new Pair<>(preOutput, null);
        }
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        validateInputRank();
        validateInputDepth(weights.size(1));
        if (!hasBias()) {
            bias = zeroBias();
        }
        INDArray out = helper.preOutput(input.castTo(dataType), weights, bias, c.getKernelSize(), c.getStride(),
                c.getPadding(), c.getCudnnAlgoMode(), c.getCudnnFwdAlgo(), convolutionMode, c.getDilation(),
                CNN2DFormat.NHWC, workspaceMgr);
        return new Pair<>(out, null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        if (helper == null || helperCountFail > 0
                || c.getConvolutionMode() == ConvolutionMode.Same || !(c.getActivationFn() instanceof ActivationIdentity)
                || c.getIDropout() != null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        ConvolutionForward.Settings settings = inferenceSettings();
        if (settings != null && settings.channelsLast() && ConvolutionBackward.available()) {
            return ownBackward(weights, epsilon, settings, workspaceMgr);
        }
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
        Pair<Gradient, INDArray> out = helper.backpropGradient(input.castTo(dataType), weights, bias,
                epsilon.castTo(dataType), c.getKernelSize(), c.getStride(), c.getPadding(),
                gradientViews.get(ConvolutionParamInitializer.BIAS_KEY), gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY),
                c.getActivationFn(), c.getCudnnAlgoMode(), c.getCudnnBwdFilterAlgo(), c.getCudnnBwdDataAlgo(),
                convolutionMode, c.getDilation(), c.getCnn2dDataFormat(), workspaceMgr);
        if (out == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        weightNoiseParams.clear();
        return out;
    }

    /** The backward pass on oneDNN's own primitives, made once per shape ({@link ConvolutionBackward}). */
    private Pair<Gradient, INDArray> ownBackward(INDArray weights, INDArray epsilon, ConvolutionForward.Settings settings,
                                                 LayerWorkspaceMgr workspaceMgr) {
        INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGradient = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        ConvolutionBackward.compute(input.castTo(DataType.FLOAT), weights, epsilon.castTo(DataType.FLOAT), settings,
                inputGradient, weightGradient, biasGradient);
        return gradientsWritten(inputGradient);
    }

    /** What a backward pass wrote into this layer's gradient views, in DL4J's order (bias, then weights), with {@code inputGradient}. */
    protected Pair<Gradient, INDArray> gradientsWritten(INDArray inputGradient) {
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, gradientViews.get(ConvolutionParamInitializer.BIAS_KEY));
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY), 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGradient);
    }

    /** Zeros in the bias's shape, for a layer without one: oneDNN's convolutions take a bias. */
    protected INDArray zeroBias() {
        if (dummyBias == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                dummyBias = Nd4j.create(dataType, 1, layerConf().getNOut());
            }
        }
        return dummyBias;
    }
}
