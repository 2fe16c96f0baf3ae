package org.baid4j.core.model;

import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.ExecutionPlan;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.File;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The network of SAAN's self-supervised pretraining (the authors' {@code ResNetPretrain}): a
 * torchvision ResNet-50 to layer4, trained from scratch, average pool, dropout 0.5, Linear(2048,
 * 30); the softmax over the 30 degradations is taken by the losses and {@link #probabilities}.
 * Layers carry the reference's module names under {@code model/} ({@code model/layer4.2.conv3},
 * {@code model/fc}), so its conv1..layer3 feed GAB and its conv1..layer2 SAB's content ResNet as
 * the authors' {@code epoch_99.pth} does.
 *
 * <p>The graph has two outputs, fed back by the training step as external errors: the layer4
 * features ({@link #FEATURES}, 2048 x S/32 x S/32), which the ranking loss compares, and the 30
 * logits ({@link #LOGITS}).
 */
public final class GabPretrainingNetwork implements TrainableNetwork {
    public static final String INPUT = "image";
    public static final String PREFIX = "model";
    public static final String FEATURES = PREFIX + "/features";
    public static final String LOGITS = PREFIX + "/fc";
    public static final int DEGRADATIONS = 30;
    public static final double REFERENCE_DROPOUT = 0.5;
    /** The reference pretrains for 100 epochs; a network built without a run in mind is configured for that. */
    public static final int REFERENCE_EPOCHS = 100;
    /** Preprocessing: OpenCV's bilinear resize (not PIL's), ImageNet's mean and std. */
    public static final String OPENCV_LINEAR = "opencv-linear";
    /** The reference's optimiser ({@code pretraining.py}): Adam lr 1e-3, betas 0.5 / 0.999, coupled L2 5e-4, the step schedule. */
    public static final OptimiserConfig REFERENCE_OPTIMISER = new OptimiserConfig(1e-3, 0.5, 0.999, 1e-8, 5e-4,
            LearningRateSchedule.REFERENCE_STEP);
    public static final ModelType<Config> TYPE = new ModelType<>("gab-pretraining",
            "Yi et al., CVPR 2023, section 4.2: self-supervised pretraining of the generic aesthetics branch",
            "https://github.com/Dreemurr-T/BAID (pretraining.py)", Config.class, Config.reference(),
            c -> create(c, REFERENCE_OPTIMISER, REFERENCE_EPOCHS), GabPretrainingNetwork::new);

    /**
     * What defines one pretraining network; defaults are the reference's.
     *
     * @param inputSize    square input side, a multiple of 32 (224 in the reference)
     * @param dropout      before the classifier, PyTorch's meaning
     * @param seed         seed of the initialisation
     * @param degradations the classifier's classes: the pretraining's {@value #DEGRADATIONS} operations
     */
    public record Config(int inputSize, double dropout, long seed, int degradations) {
        public Config {
            if (inputSize < SaanConfig.MIN_INPUT_SIZE || inputSize % 32 != 0) {
                throw new IllegalArgumentException("input size must be a multiple of 32, at least " + SaanConfig.MIN_INPUT_SIZE
                        + "; got " + inputSize);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
            }
            if (degradations != DEGRADATIONS) {
                throw new IllegalArgumentException("the pretraining classifies " + DEGRADATIONS + " degradations, not " + degradations);
            }
        }

        public Config(int inputSize, double dropout, long seed) {
            this(inputSize, dropout, seed, DEGRADATIONS);
        }

        public static Config reference() {
            return new Config(224, REFERENCE_DROPOUT, 42);
        }
    }

    private final ComputationGraph graph;
    private final Config config;

    private GabPretrainingNetwork(ComputationGraph graph, Config config) {
        this.graph = graph;
        this.config = config;
    }

    /** A new network initialised as the reference initialises it (seeded), to train with {@code optimiser}. */
    public static GabPretrainingNetwork create(Config config, OptimiserConfig optimiser, int epochs) {
        return create(config, optimiser, epochs, DataType.FLOAT, ExecutionPlan.standard());
    }

    /**
     * The same in {@code dataType} (float64 for the step's parity test, which compares arithmetic
     * without float noise), run by {@code plan}.
     */
    public static GabPretrainingNetwork create(Config config, OptimiserConfig optimiser, int epochs, DataType dataType,
                                              ExecutionPlan plan) {
        ComputationGraph net = plan.network(configuration(config.inputSize(), config.dropout(), config.seed(),
                optimiser, epochs, dataType), null, null);
        initialiseAsReference(net, config.seed());
        return new GabPretrainingNetwork(net, config);
    }

    public static ComputationGraphConfiguration configuration(int inputSize, double dropout, long seed,
                                                              OptimiserConfig optimiser, int epochs, DataType dataType) {
        var graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                // The training step runs the graph once per pass and feeds errors back afterwards
                // (feedForward, then backpropGradient): what a layer keeps for its backward pass
                // (dropout's masked input, BN's normalised input) must outlive the forward pass,
                // which DL4J's per-layer workspaces do not let it.
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .updater(optimiser.updater(epochs))
                .l2(optimiser.weightDecay())
                .l2Bias(optimiser.weightDecay())
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(inputSize, inputSize, 3));
        TorchvisionResNet resnet = new TorchvisionResNet(graph, PREFIX, false);
        String layer4 = resnet.stages(resnet.stem(INPUT), 4);
        // The features leave the graph as an output of their own, a leaf, so that the ranking
        // loss's errors and the classifier's add up at layer4 rather than replace each other.
        graph.addLayer(FEATURES, new ActivationLayer(Activation.IDENTITY), layer4);
        graph.addLayer(PREFIX + "/avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), layer4);
        DenseLayer.Builder fc = new DenseLayer.Builder()
                .nIn(TorchvisionResNet.stageChannels(4)).nOut(DEGRADATIONS)
                .activation(Activation.IDENTITY)
                .weightInit(new NormalDistribution(0, 0.02)).biasInit(0);
        if (dropout > 0) {
            // DL4J's dropout acts on the layer's input and takes the probability of keeping a unit.
            fc.dropOut(new Dropout(1 - dropout));
        }
        graph.addLayer(LOGITS, fc.build(), PREFIX + "/avgpool");
        return graph.setOutputs(FEATURES, LOGITS).build();
    }

    /** The reference's BN initialisation: gamma ~ N(1, 0.02), beta 0 (convs and the linear layer are declared so). */
    private static void initialiseAsReference(ComputationGraph net, long seed) {
        java.util.Random gaussian = new java.util.Random(new SplittableRandom(seed ^ 0x9A8L).nextLong());
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                INDArray gamma = layer.getParam("gamma");
                for (long i = 0; i < gamma.length(); i++) {
                    gamma.putScalar(i, 1 + 0.02 * gaussian.nextGaussian());
                }
            }
        }
    }

    public static GabPretrainingNetwork load(File file) throws IOException {
        return ModelFiles.loadNetwork(file, ExecutionPlan.standard(), GabPretrainingNetwork.class, "a GAB pretraining network");
    }

    public ModelCard card() {
        Preprocessing imageNet = Preprocessing.imageNet(config.inputSize());
        return new ModelCard(TYPE.name(), TYPE.json(config), new Preprocessing(config.inputSize(), OPENCV_LINEAR,
                imageNet.mean(), imageNet.std()));
    }

    public Config config() {
        return config;
    }

    @Override
    public void save(File file, boolean withUpdater) throws IOException {
        ModelFiles.write(graph, card(), file, withUpdater);
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    public int inputSize() {
        return config.inputSize();
    }

    public double dropout() {
        return config.dropout();
    }

    /** The 30 degradation probabilities [B, 30] of preprocessed images [B, 3, S, S], in inference mode. */
    public INDArray probabilities(INDArray images) {
        INDArray logits = graph.output(false, images)[1];
        return Transforms.softmax(logits, true);
    }

    /** Layer4 features [B, 2048, S/32, S/32] and logits [B, 30], in inference mode. */
    public INDArray[] outputs(INDArray images) {
        return graph.output(false, images);
    }
}
