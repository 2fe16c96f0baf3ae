package org.baid4j.core.model;

import org.baid4j.core.layers.AdaIN;
import org.baid4j.core.layers.NonLocalAttention;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.ExecutionPlan;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
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
    private final GraphBuilder graph;

    private SaanGraph(SaanConfig config, IUpdater updater, double weightDecay) {
        this.config = config;
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
        return build(config, OptimiserConfig.reference(), REFERENCE_EPOCHS, ExecutionPlan.standard());
    }

    /** The network for {@code config}, to train with {@code optimiser} for {@code epochs} epochs, run by {@code plan}. */
    public static ComputationGraph build(SaanConfig config, OptimiserConfig optimiser, int epochs, ExecutionPlan plan) {
        ComputationGraph net = plan.network(configuration(config, optimiser, epochs), null, null);
        initialiseAsReference(net, config.seed());
        return net;
    }

    /** The network as declared (what model files hold): plain layers, NCHW. */
    public static ComputationGraphConfiguration configuration(SaanConfig config, OptimiserConfig optimiser, int epochs) {
        return new SaanGraph(config, optimiser.updater(epochs), optimiser.weightDecay()).declare();
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

    /** GAB: frozen ResNet-50 conv1..layer3, 1024 x S/16 x S/16. */
    private String genericAestheticsBranch(String image) {
        TorchvisionResNet resnet = new TorchvisionResNet(graph, GAB, true);
        return resnet.stages(resnet.stem(image), 3);
    }

    /** SAB: AdaIN of trainable ResNet content features by frozen VGG style features, ReLU, max-pool: 512 x S/16. */
    private String styleSpecificBranch(String image) {
        String style = styleEncoder(image);
        TorchvisionResNet content = new TorchvisionResNet(graph, SAB_CONTENT, false);
        String contentFeatures = content.stages(content.stem(image), 2);
        graph.addVertex("sab/adain", new AdaIN(), contentFeatures, style);
        graph.addLayer("sab/adain.relu", TorchLayers.relu(), "sab/adain");
        graph.addLayer("sab/pool", TorchLayers.maxPool(3, 2, 1), "sab/adain.relu");
        return "sab/pool";
    }

    /** VGG-19 conv1_1 .. relu4_1, frozen: 512 x S/8 x S/8. */
    private String styleEncoder(String image) {
        String x = image;
        int channels = 3;
        for (VggConv c : VGG_SLICE) {
            ConvolutionLayer conv = TorchLayers.kaimingConv(channels, c.channels(), 3, 1, 1, true);
            conv.setActivationFn(Activation.RELU.getActivationFunction());
            String name = SAB_VGG + "/" + c.name();
            graph.addLayer(name, TorchLayers.frozen(conv), x);
            x = name;
            if (c.poolAfter()) {
                graph.addLayer(name + ".pool", TorchLayers.frozen(TorchLayers.maxPool(2, 2, 0)), x);
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
        graph.addVertex(prefix, TorchLayers.add(false), prefix + "/W.bn", x);
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
