package org.baid4j.core.model;

import org.baid4j.core.backend.OneDnn;
import org.baid4j.core.layers.AdaIN;
import org.baid4j.core.layers.ChannelsLayout;
import org.baid4j.core.layers.GradientStop;
import org.baid4j.core.layers.NonLocalAttention;
import org.baid4j.core.layers.ReLU;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.layers.ResidualAdd;
import org.baid4j.core.optim.OptimiserConfig;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Declares SAAN (Yi et al., CVPR 2023, Fig. 3) as a DL4J {@link ComputationGraph}, one method per
 * part of the figure:
 * <pre>
 *   image -+-> GAB: ResNet-50 conv1..layer3 (frozen) ------------------------------+
 *          |                                                                         concat -> non-local block -> head
 *          +-> SAB: VGG-19 to relu4_1 (frozen) = style -+                           |
 *                   ResNet-50 conv1..layer2 = content ---+-> AdaIN -> ReLU -> maxpool -+
 * </pre>
 * Layer names follow the PyTorch module paths under a branch prefix ({@code gab/layer1.0.conv1},
 * {@code sab/content/bn1}, {@code nlb/theta}, {@code head/fc1}) so that the weights importer's
 * name table can be read against both.
 */
public final class SaanGraph {
    public static final String INPUT = "image";
    public static final String GAB = "gab";
    public static final String SAB_CONTENT = "sab/content";
    public static final String SAB_VGG = "sab/vgg";
    public static final String NLB = "nlb";
    public static final String HEAD = "head";
    public static final String OUTPUT = HEAD + "/fc2";
    public static final int HEAD_HIDDEN = 2048;
    /** The reference trains for 100 epochs; a network built without a run in mind is configured for that. */
    public static final int REFERENCE_EPOCHS = 100;

    /** VGG-19 features[0..20], conv1_1 .. relu4_1: name, output channels, max-pool after it. */
    public record VggConv(String name, int channels, boolean poolAfter) {
    }

    public static final List<VggConv> VGG_SLICE = List.of(
            new VggConv("conv1_1", 64, false), new VggConv("conv1_2", 64, true),
            new VggConv("conv2_1", 128, false), new VggConv("conv2_2", 128, true),
            new VggConv("conv3_1", 256, false), new VggConv("conv3_2", 256, false),
            new VggConv("conv3_3", 256, false), new VggConv("conv3_4", 256, true),
            new VggConv("conv4_1", 512, false));

    private final SaanConfig config;
    private final CNN2DFormat contentLayout;
    private final GraphBuilder graph;
    private String channelsLastImage;

    private SaanGraph(SaanConfig config, IUpdater updater, double weightDecay, CNN2DFormat contentLayout) {
        this.config = config;
        this.contentLayout = contentLayout;
        this.graph = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .updater(updater)
                .l2(weightDecay)
                .l2Bias(weightDecay)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(config.inputSize(), config.inputSize(), 3));
    }

    /** The network for {@code config}, initialised as the reference initialises it (seeded), with the reference's optimiser. */
    public static ComputationGraph build(SaanConfig config) {
        return build(config, OptimiserConfig.reference(), REFERENCE_EPOCHS);
    }

    /** The network for {@code config}, to train with {@code optimiser} for {@code epochs} epochs. */
    public static ComputationGraph build(SaanConfig config, OptimiserConfig optimiser, int epochs) {
        OneDnn.enable();
        ComputationGraph net = new FrozenBranchGraph(configuration(config, optimiser, epochs));
        net.init();
        initialiseAsReference(net, config.seed());
        return net;
    }

    /** The graph configuration alone (for serialisation, inspection): every backbone in NHWC. */
    public static ComputationGraphConfiguration configuration(SaanConfig config, OptimiserConfig optimiser, int epochs) {
        return configuration(config, optimiser, epochs, CNN2DFormat.NHWC);
    }

    /**
     * The graph configuration with the trainable SAB content ResNet in {@code contentLayout}. Files
     * saved by earlier builds of baid4j hold it in NCHW (DL4J's BatchNorm backward pass was slow in NHWC);
     * {@link SaanModel#scores} runs those through {@link #inferenceConfiguration}.
     */
    public static ComputationGraphConfiguration configuration(SaanConfig config, OptimiserConfig optimiser, int epochs,
                                                              CNN2DFormat contentLayout) {
        return new SaanGraph(config, optimiser.updater(epochs), optimiser.weightDecay(), contentLayout).declare();
    }

    /**
     * The same network for inference only, every backbone in NHWC: the layout of
     * {@link #configuration} without an optimiser. Same layers, names and parameter shapes in every
     * layout; {@link SaanModel#scores} runs it on the parameters of a network in another layout.
     */
    public static ComputationGraphConfiguration inferenceConfiguration(SaanConfig config) {
        return new SaanGraph(config, new NoOp(), 0, CNN2DFormat.NHWC).declare();
    }

    private ComputationGraphConfiguration declare() {
        SaanVariant variant = config.variant();
        String features;
        if (variant == SaanVariant.FULL) {
            features = fusion(styleSpecificBranch(INPUT), genericAestheticsBranch(INPUT));
        } else if (variant == SaanVariant.WITHOUT_GAB) {
            features = styleSpecificBranch(INPUT);
        } else {
            features = genericAestheticsBranch(INPUT);
        }
        String attended = nonLocalBlock(features, variant.fusedChannels());
        head(attended, variant.fusedChannels());
        return graph.setOutputs(OUTPUT).build();
    }

    /**
     * The frozen backbones (VGG, GAB) run on channels-last (NHWC) activations, where oneDNN's
     * AVX-512 convolutions need no reordering (in NCHW, reordering the maps took two thirds of the
     * time); these two vertices change the layout at their ends, cheaply (3 channels in, small
     * maps out). The trainable SAB content ResNet runs in NHWC too: its BatchNorm layers' statistics
     * and backward pass are {@link org.baid4j.core.backend.OneDnnBatchNormHelper}'s, fast in NHWC
     * (DL4J's own were three times slower there than in NCHW).
     */
    public static String toChannelsLast(GraphBuilder graph, String x) {
        graph.addVertex(x + ".nhwc", new PreprocessorVertex(ChannelsLayout.toChannelsLast()), x);
        return x + ".nhwc";
    }

    /** Back to NCHW, for AdaIN (see {@link #toChannelsLast}). */
    public static String toChannelsFirst(GraphBuilder graph, String x) {
        graph.addVertex(x + ".nchw", new PreprocessorVertex(ChannelsLayout.toChannelsFirst()), x);
        return x + ".nchw";
    }

    /** The image in NHWC, one layout vertex shared by the branches that take it. */
    private String channelsLast(String image) {
        if (channelsLastImage == null) {
            channelsLastImage = toChannelsLast(graph, image);
        }
        return channelsLastImage;
    }

    /** A ResNet branch in {@code layout}, taking the image and giving NCHW features. */
    private String resNet(String prefix, boolean frozen, int stages, String image, CNN2DFormat layout) {
        TorchvisionResNet resnet = new TorchvisionResNet(graph, prefix, frozen, layout);
        if (layout == CNN2DFormat.NCHW) {
            return resnet.stages(resnet.stem(image), stages);
        }
        return toChannelsFirst(graph, resnet.stages(resnet.stem(channelsLast(image)), stages));
    }

    /** GAB: frozen ResNet-50 conv1..layer3, 1024 x S/16 x S/16; NHWC, since it has no backward pass. */
    private String genericAestheticsBranch(String image) {
        return resNet(GAB, true, 3, image, CNN2DFormat.NHWC);
    }

    /** SAB: AdaIN of trainable ResNet content features by frozen VGG style features, ReLU, max-pool: 512 x S/16. */
    private String styleSpecificBranch(String image) {
        String style = toChannelsFirst(graph, styleEncoder(channelsLast(image)));
        String contentFeatures = resNet(SAB_CONTENT, false, 2, image, contentLayout);
        graph.addVertex("sab/adain", new AdaIN(), contentFeatures, style);
        graph.addLayer("sab/adain.relu", new ReLU(), "sab/adain");
        graph.addLayer("sab/pool", TorchLayers.maxPool(3, 2, 1), "sab/adain.relu");
        return "sab/pool";
    }

    /** VGG-19 conv1_1 .. relu4_1, frozen, in NHWC: 512 x S/8 x S/8. */
    private String styleEncoder(String image) {
        // Nothing below the frozen VGG trains: no gradient goes back through it.
        graph.addVertex(SAB_VGG + "/input", new PreprocessorVertex(new GradientStop()), image);
        String x = SAB_VGG + "/input";
        int channels = 3;
        for (VggConv c : VGG_SLICE) {
            ConvolutionLayer conv = TorchLayers.winogradConv(channels, c.channels(), true);
            conv.setActivationFn(Activation.RELU.getActivationFunction());
            String name = SAB_VGG + "/" + c.name();
            graph.addLayer(name, TorchLayers.frozen(conv), x);
            x = name;
            if (c.poolAfter()) {
                graph.addLayer(name + ".pool", TorchLayers.frozen(TorchLayers.maxPool(2, 2, 0, CNN2DFormat.NHWC)), x);
                x = name + ".pool";
            }
            channels = c.channels();
        }
        return x;
    }

    /** Channel concatenation in the reference's order: SAB first, then GAB. */
    private String fusion(String sab, String gab) {
        graph.addVertex("fusion", new MergeVertex(), sab, gab);
        return "fusion";
    }

    /** The non-local block over the fused features (see {@link #nonLocalBlock(GraphBuilder, String, String, int)}). */
    private String nonLocalBlock(String x, int channels) {
        return nonLocalBlock(graph, NLB, x, channels);
    }

    /** The head (see {@link #head(GraphBuilder, String, int, int, int, HeadActivation, double)}). */
    private void head(String x, int channels) {
        head(graph, x, channels, HEAD_HIDDEN, config.fusedMapSize() / 2, config.headActivation(), config.dropout());
    }

    /**
     * Embedded-Gaussian non-local block with sub-sampling and BN: theta, phi, g are 1x1 convs to
     * half the channels (phi, g then max-pooled 2x2), attention, W = 1x1 conv back + BN (gamma,
     * beta = 0, so the block starts as the identity), residual sum. Returns the block's output
     * vertex, named {@code prefix}. Public for block-level parity tests.
     */
    public static String nonLocalBlock(GraphBuilder graph, String prefix, String x, int channels) {
        int inter = channels / 2;
        graph.addLayer(prefix + "/theta", TorchLayers.defaultConv(channels, inter, 1), x);
        graph.addLayer(prefix + "/phi", TorchLayers.defaultConv(channels, inter, 1), x);
        graph.addLayer(prefix + "/phi.pool", TorchLayers.maxPool(2, 2, 0), prefix + "/phi");
        graph.addLayer(prefix + "/g", TorchLayers.defaultConv(channels, inter, 1), x);
        graph.addLayer(prefix + "/g.pool", TorchLayers.maxPool(2, 2, 0), prefix + "/g");
        graph.addVertex(prefix + "/attention", new NonLocalAttention(),
                prefix + "/theta", prefix + "/phi.pool", prefix + "/g.pool");
        graph.addLayer(prefix + "/W", TorchLayers.defaultConv(inter, channels, 1), prefix + "/attention");
        ReferenceBatchNormalization wBn = TorchLayers.batchNorm();
        wBn.setGamma(0);
        wBn.setBeta(0);
        graph.addLayer(prefix + "/W.bn", wBn, prefix + "/W");
        graph.addVertex(prefix, new ResidualAdd(), prefix + "/W.bn", x);
        return prefix;
    }

    /**
     * Adaptive average pool to 2x2 (a {@code window}-sized average on a 2*window map), BN,
     * flatten (c, h, w), Linear to {@code hidden}, activation, dropout, Linear to 1, sigmoid; the
     * output layer {@link #OUTPUT} trains with MSE against score / 10. Public for parity tests.
     */
    public static void head(GraphBuilder graph, String x, int channels, int hidden, int window,
                            HeadActivation activation, double dropout) {
        graph.addLayer(HEAD + "/pool", TorchLayers.avgPool(window), x);
        graph.addLayer(HEAD + "/bn", TorchLayers.batchNorm(), HEAD + "/pool");
        graph.addLayer(HEAD + "/fc1", new DenseLayer.Builder()
                .nIn(channels * 4L).nOut(hidden)
                .activation(activation.function())
                .weightInit(new NormalDistribution(0, 0.02)).biasInit(0)
                .build(), HEAD + "/bn");
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(hidden).nOut(1)
                .activation(Activation.SIGMOID)
                .weightInit(new NormalDistribution(0, 0.02)).biasInit(0);
        if (dropout > 0) {
            // DL4J's dropout acts on a layer's input and takes the probability of keeping a unit.
            out.dropOut(new Dropout(1 - dropout));
        }
        graph.addLayer(OUTPUT, out.build(), HEAD + "/fc1");
    }

    /**
     * What DL4J's declarative initialisation cannot express: the non-local convs' biases
     * U(+-1/sqrt(fan_in)) (PyTorch's default) and the head BN's gamma ~ N(1, 0.02).
     */
    private static void initialiseAsReference(ComputationGraph net, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5AA7L);
        for (String conv : new String[]{"theta", "phi", "g", "W"}) {
            INDArray w = net.getParam(NLB + "/" + conv + "_W");
            INDArray b = net.getParam(NLB + "/" + conv + "_b");
            double bound = 1.0 / Math.sqrt(w.size(1));
            for (long i = 0; i < b.length(); i++) {
                b.putScalar(i, (random.nextDouble() * 2 - 1) * bound);
            }
        }
        INDArray gamma = net.getParam(HEAD + "/bn_gamma");
        java.util.Random gaussian = new java.util.Random(random.nextLong());
        for (long i = 0; i < gamma.length(); i++) {
            gamma.putScalar(i, 1 + 0.02 * gaussian.nextGaussian());
        }
    }
}
