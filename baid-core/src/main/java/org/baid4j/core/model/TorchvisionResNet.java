package org.baid4j.core.model;

import org.baid4j.core.layers.FrozenBatchNormalization;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * torchvision's ResNet-50 (v1.5: the stride on the 3x3 convolution) declared into a graph under a
 * prefix, with torchvision's module names: {@code prefix/conv1}, {@code prefix/bn1},
 * {@code prefix/layer2.0.conv2}, {@code prefix/layer2.0.downsample.1}, ... so that a state_dict key
 * maps onto a layer by its module path. DL4J's zoo ResNet50 is Keras-style and not this network.
 */
public final class TorchvisionResNet {
    /** Blocks and width of layer1..layer4. */
    public static final int[] BLOCKS = {3, 4, 6, 3};
    public static final int[] WIDTHS = {64, 128, 256, 512};
    public static final int EXPANSION = 4;

    private final GraphBuilder graph;
    private final String prefix;
    private final boolean frozen;

    /**
     * @param frozen every layer frozen, while BN still normalises with batch statistics in training
     *               and updates its running statistics (the reference's frozen GAB); no backward
     *               pass (see {@link FrozenBatchNormalization})
     */
    public TorchvisionResNet(GraphBuilder graph, String prefix, boolean frozen) {
        this.graph = graph;
        this.prefix = prefix;
        this.frozen = frozen;
    }

    /** conv1 7x7/2, bn1, ReLU, maxpool 3x3/2: 3 x S x S to 64 x S/4 x S/4, on {@code image}. Returns the last vertex. */
    public String stem(String image) {
        add("conv1", TorchLayers.kaimingConv(3, 64, 7, 2, 3, false), image);
        String bn1 = addBatchNorm("bn1", true, name("conv1"));
        add("maxpool", TorchLayers.maxPool(3, 2, 1), bn1);
        return name("maxpool");
    }

    /** Output channels of layer{@code stage} (1-based). */
    public static int stageChannels(int stage) {
        return WIDTHS[stage - 1] * EXPANSION;
    }

    /** Stages layer1..layer{@code last} after the stem. Returns the last vertex. */
    public String stages(String input, int last) {
        String x = input;
        int channels = 64;
        for (int stage = 1; stage <= last; stage++) {
            x = stage(x, stage, channels);
            channels = stageChannels(stage);
        }
        return x;
    }

    /** layer{@code stage} of ResNet-50: bottlenecks, the first strided (except in layer1) with a downsample path. */
    public String stage(String input, int stage, int inChannels) {
        return stage(input, "layer" + stage, inChannels, WIDTHS[stage - 1], BLOCKS[stage - 1], stage == 1 ? 1 : 2);
    }

    /** A stage of {@code blocks} bottlenecks of {@code width} (output 4 x width), as torchvision's _make_layer. */
    public String stage(String input, String name, int inChannels, int width, int blocks, int stride) {
        String x = bottleneck(name + ".0", input, inChannels, width, stride);
        for (int block = 1; block < blocks; block++) {
            x = bottleneck(name + "." + block, x, width * EXPANSION, width, 1);
        }
        return x;
    }

    /**
     * conv1x1 - BN - ReLU - conv3x3 (stride) - BN - ReLU - conv1x1 - BN, plus the identity or
     * downsample (conv1x1 stride, BN), then ReLU.
     */
    private String bottleneck(String block, String input, int inChannels, int width, int stride) {
        int out = width * EXPANSION;
        String b = block + ".";
        add(b + "conv1", TorchLayers.kaimingConv(inChannels, width, 1, 1, 0, false), input);
        String bn1 = addBatchNorm(b + "bn1", true, name(b + "conv1"));
        add(b + "conv2", TorchLayers.kaimingConv(width, width, 3, stride, 1, false), bn1);
        String bn2 = addBatchNorm(b + "bn2", true, name(b + "conv2"));
        add(b + "conv3", TorchLayers.kaimingConv(width, out, 1, 1, 0, false), bn2);
        String bn3 = addBatchNorm(b + "bn3", false, name(b + "conv3"));

        String shortcut = input;
        if (stride != 1 || inChannels != out) {
            add(b + "downsample.0", TorchLayers.kaimingConv(inChannels, out, 1, stride, 0, false), input);
            shortcut = addBatchNorm(b + "downsample.1", false, name(b + "downsample.0"));
        }
        graph.addVertex(name(b + "add"), TorchLayers.add(frozen), bn3, shortcut);
        add(b + "relu", TorchLayers.relu(), name(b + "add"));
        return name(b + "relu");
    }

    /** A layer of the network, frozen with it. */
    private void add(String module, Layer layer, String input) {
        graph.addLayer(name(module), frozen ? TorchLayers.frozen(layer) : layer, input);
    }

    /** BN, and ReLU after it when asked (DL4J's BN layer applies no activation); returns the last vertex. */
    private String addBatchNorm(String module, boolean relu, String input) {
        ReferenceBatchNormalization bn = TorchLayers.batchNorm();
        graph.addLayer(name(module), frozen ? new FrozenBatchNormalization(bn) : bn, input);
        if (!relu) {
            return name(module);
        }
        add(module + ".relu", TorchLayers.relu(), name(module));
        return name(module + ".relu");
    }

    private String name(String module) {
        return prefix + "/" + module;
    }
}
