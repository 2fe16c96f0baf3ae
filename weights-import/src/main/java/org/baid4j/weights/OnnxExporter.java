package org.baid4j.weights;

import onnx.Onnx;
import org.baid4j.core.io.OutputFile;
import org.baid4j.core.layers.AdaIN;
import org.baid4j.core.layers.NonLocalAttention;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.optim.OptimiserConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SAAN network as an ONNX model (opset 13) that ONNX Runtime, or any ONNX backend, runs without
 * baid4j. It walks the network's declaration (the semantic graph every plan starts from: DL4J's
 * layers, PyTorch's BatchNorm, AdaIN and the non-local attention), one ONNX node or a few per
 * vertex, with the parameters of the network given. Input {@value #INPUT}: images preprocessed as
 * for scoring, float32 [N, 3, S, S] (N free, S the model's input size); output {@value #OUTPUT}:
 * the scores on the 0-10 scale, [N, 1]. The ONNX schema is the one ND4J ships (its {@code onnx.Onnx}
 * protobuf classes, generated from the published onnx.proto), so export needs no new dependency.
 */
public final class OnnxExporter {
    public static final String INPUT = "image";
    public static final String OUTPUT = "score";
    public static final int OPSET = 13;
    /** IR version 7 goes with opset 13; every ONNX Runtime since 1.7 reads it. */
    private static final long IR_VERSION = 7;

    private final ComputationGraph net;
    private final ComputationGraphConfiguration declaration;
    private final Map<String, InputType> types;
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, Integer> used = new HashMap<>();

    private OnnxExporter(SaanModel model) {
        this.net = model.graph();
        this.declaration = SaanGraph.configuration(model.config(), OptimiserConfig.reference(), SaanGraph.REFERENCE_EPOCHS);
        int size = model.inputSize();
        this.types = declaration.getLayerActivationTypes(InputType.convolutional(size, size, 3));
    }

    /** Writes {@code model} to {@code file} as an ONNX model; returns the number of nodes written. */
    public static int exportSaan(SaanModel model, Path file) throws IOException {
        Onnx.ModelProto proto = toOnnx(model);
        OutputFile.write(file, temporary -> {
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(temporary))) {
                proto.writeTo(out);
            }
        });
        return proto.getGraph().getNodeCount();
    }

    /** The ONNX model of {@code model}. */
    public static Onnx.ModelProto toOnnx(SaanModel model) {
        OnnxExporter exporter = new OnnxExporter(model);
        Onnx.GraphProto graph = exporter.build(model);
        return Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("baid4j")
                .setProducerVersion(OnnxExporter.class.getPackage().getImplementationVersion() == null ? "dev"
                        : OnnxExporter.class.getPackage().getImplementationVersion())
                .setDocString("SAAN (" + model.variant().label() + ", " + model.inputSize() + " px): " + INPUT
                        + " is an ImageNet-normalised float32 [N, 3, S, S] batch, " + OUTPUT + " the 0-10 scores [N, 1]")
                .setGraph(graph)
                .build();
    }

    private Onnx.GraphProto build(SaanModel model) {
        graph.setName("saan");
        int size = model.inputSize();
        graph.addInput(valueInfo(INPUT, "N", 3, size, size));
        Map<String, String> outputOf = new HashMap<>();   // vertex -> the ONNX value holding its activations
        outputOf.put(SaanGraph.INPUT, INPUT);
        for (String vertex : topologicalOrder()) {
            List<String> inputs = new ArrayList<>();
            for (String in : declaration.getVertexInputs().get(vertex)) {
                inputs.add(outputOf.get(in));
            }
            outputOf.put(vertex, vertex(vertex, declaration.getVertices().get(vertex), inputs));
        }
        String probability = outputOf.get(declaration.getNetworkOutputs().get(0));
        node("Mul", List.of(probability, constant("head/score_scale", new float[]{10f}, new long[]{})), OUTPUT, "head/score");
        graph.addOutput(valueInfo(OUTPUT, "N", 1));
        return graph.build();
    }

    /** The vertices, each after its inputs (Kahn's algorithm over the declaration's input lists). */
    private List<String> topologicalOrder() {
        Map<String, List<String>> inputs = declaration.getVertexInputs();
        Map<String, Integer> waiting = new LinkedHashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String v : declaration.getVertices().keySet()) {
            List<String> in = inputs.getOrDefault(v, List.of()).stream()
                    .filter(i -> !declaration.getNetworkInputs().contains(i)).toList();
            waiting.put(v, in.size());
            for (String i : in) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(v);
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        waiting.forEach((v, n) -> {
            if (n == 0) {
                ready.add(v);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String c : consumers.getOrDefault(v, List.of())) {
                if (waiting.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != waiting.size()) {
            throw new IllegalStateException("the declaration is not a DAG: " + (waiting.size() - order.size()) + " vertices wait");
        }
        return order;
    }

    /** Emits the nodes of one vertex; returns the value holding its output. */
    private String vertex(String name, GraphVertex vertex, List<String> in) {
        if (vertex instanceof FrozenVertex frozen) {
            return vertex(name, frozen.getUnderlying(), in);
        }
        if (vertex instanceof ElementWiseVertex add && add.getOp() == ElementWiseVertex.Op.Add) {
            String sum = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                sum = node("Add", List.of(sum, in.get(i)), i == in.size() - 1 ? name : name + "/" + i, name);
            }
            return sum;
        }
        if (vertex instanceof MergeVertex) {
            return node("Concat", in, name, name, intAttribute("axis", 1));
        }
        if (vertex instanceof AdaIN) {
            return adain(name, in.get(0), in.get(1));
        }
        if (vertex instanceof NonLocalAttention) {
            return attention(name, in.get(0), in.get(1), in.get(2));
        }
        if (vertex instanceof LayerVertex layerVertex) {
            String x = in.get(0);
            if (layerVertex.getPreProcessor() instanceof CnnToFeedForwardPreProcessor) {
                x = node("Flatten", List.of(x), name + "/flatten", name, intAttribute("axis", 1));
            } else if (layerVertex.getPreProcessor() != null) {
                throw unsupported(name, layerVertex.getPreProcessor().getClass().getSimpleName());
            }
            return layer(name, layerVertex.getLayerConf().getLayer(), x);
        }
        throw unsupported(name, vertex.getClass().getSimpleName());
    }

    private String layer(String name, Layer layer, String x) {
        if (layer instanceof FrozenLayer frozen) {
            return layer(name, frozen.getLayer(), x);
        }
        if (layer instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class) {
            return convolution(name, conv, x);
        }
        if (layer instanceof BatchNormalization bn) {
            return node("BatchNormalization", List.of(x, param(name, "gamma"), param(name, "beta"), param(name, "mean"),
                    param(name, "var")), name, name, floatAttribute("epsilon", (float) bn.getEps()));
        }
        if (layer instanceof ActivationLayer activation) {
            return activation(name, activation.getActivationFn(), x, name);
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pooling(name, pool, x);
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            IActivation fn = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getActivationFn();
            String linear = node("Gemm", List.of(x, param(name, "W"), param(name, "b")), name + "/linear", name);
            return activation(name, fn, linear, name);   // an OutputLayer's dropout acts in training only
        }
        throw unsupported(name, layer.getClass().getSimpleName());
    }

    private String convolution(String name, ConvolutionLayer conv, String x) {
        if (conv.getConvolutionMode() != ConvolutionMode.Truncate && conv.getConvolutionMode() != ConvolutionMode.Strict) {
            throw unsupported(name, "convolution mode " + conv.getConvolutionMode());
        }
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] p = conv.getPadding();
        int[] d = conv.getDilation();
        List<String> inputs = new ArrayList<>(List.of(x, param(name, "W")));
        if (conv.hasBias()) {
            inputs.add(param(name, "b"));
        }
        String out = node("Conv", inputs, name + "/conv", name,
                intsAttribute("kernel_shape", k[0], k[1]), intsAttribute("strides", s[0], s[1]),
                intsAttribute("pads", p[0], p[1], p[0], p[1]), intsAttribute("dilations", d[0], d[1]));
        return activation(name, conv.getActivationFn(), out, name);
    }

    private String pooling(String name, SubsamplingLayer pool, String x) {
        int[] k = pool.getKernelSize();
        int[] s = pool.getStride();
        int[] p = pool.getPadding();
        String op = switch (pool.getPoolingType()) {
            case MAX -> "MaxPool";
            case AVG -> "AveragePool";
            default -> throw unsupported(name, "pooling " + pool.getPoolingType());
        };
        if (op.equals("AveragePool") && (p[0] != 0 || p[1] != 0)) {
            throw unsupported(name, "padded average pooling");   // DL4J and ONNX count the padding differently
        }
        return node(op, List.of(x), name, name, intsAttribute("kernel_shape", k[0], k[1]),
                intsAttribute("strides", s[0], s[1]), intsAttribute("pads", p[0], p[1], p[0], p[1]));
    }

    /** PyTorch's activations as DL4J declares them; GELU is the tanh form, as DL4J's. */
    private String activation(String name, IActivation fn, String x, String scope) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return x;
        }
        if (fn instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null && relu.getThreshold() != 0
                    || relu.getNegativeSlope() != null && relu.getNegativeSlope() != 0) {
                throw unsupported(name, "a bounded or leaky ReLU declared as ReLU");
            }
            return node("Relu", List.of(x), name + "/relu", scope);
        }
        if (fn instanceof ActivationLReLU leaky) {
            return node("LeakyRelu", List.of(x), name + "/leaky_relu", scope, floatAttribute("alpha", (float) leaky.getAlpha()));
        }
        if (fn instanceof ActivationELU elu) {
            return node("Elu", List.of(x), name + "/elu", scope, floatAttribute("alpha", (float) elu.getAlpha()));
        }
        if (fn instanceof ActivationSigmoid) {
            return node("Sigmoid", List.of(x), name + "/sigmoid", scope);
        }
        if (fn instanceof ActivationGELU gelu) {
            if (!gelu.isPrecise()) {   // x sigmoid(1.702 x)
                String gate = node("Sigmoid", List.of(node("Mul", List.of(x, scalar(name + "/gelu_k", 1.702)),
                        name + "/gelu_kx", scope)), name + "/gelu_gate", scope);
                return node("Mul", List.of(x, gate), name + "/gelu", scope);
            }
            // What M2.1's "precise" GELU computes (Dl4jDefectsTest): 0.5 x (1 + tanh(sqrt(2/pi) (x + (0.044715 x)^3))),
            // the cube taken of 0.044715 x where tanh-GELU takes 0.044715 x^3.
            String c = node("Mul", List.of(x, scalar(name + "/gelu_c", 0.044715)), name + "/gelu_cx", scope);
            String cube = node("Mul", List.of(node("Mul", List.of(c, c), name + "/gelu_cx2", scope), c), name + "/gelu_cx3", scope);
            String inner = node("Add", List.of(x, cube), name + "/gelu_inner", scope);
            String tanh = node("Tanh", List.of(node("Mul", List.of(inner, scalar(name + "/gelu_k", Math.sqrt(2 / Math.PI))),
                    name + "/gelu_scaled", scope)), name + "/gelu_tanh", scope);
            String half = node("Mul", List.of(x, scalar(name + "/gelu_half", 0.5)), name + "/gelu_halfx", scope);
            return node("Mul", List.of(half, node("Add", List.of(tanh, scalar(name + "/gelu_one", 1)), name + "/gelu_1p",
                    scope)), name + "/gelu", scope);
        }
        throw unsupported(name, "activation " + fn);
    }

    /**
     * AdaIN as {@link AdaIN} defines it: (c - mean(c)) / (std(c) + eps) * (std(s) + eps) + mean(s),
     * over each map's H x W, the standard deviation unbiased (divided by n - 1).
     */
    private String adain(String name, String content, String style) {
        InputType.InputTypeConvolutional type = (InputType.InputTypeConvolutional) types.get(name);
        long n = type.getHeight() * type.getWidth();
        String[] mean = new String[2];
        String[] std = new String[2];
        String[] centred = new String[2];
        String[] which = {"content", "style"};
        String[] x = {content, style};
        for (int i = 0; i < 2; i++) {
            String p = name + "/" + which[i];
            mean[i] = node("ReduceMean", List.of(x[i]), p + "_mean", name, intsAttribute("axes", 2, 3), intAttribute("keepdims", 1));
            centred[i] = node("Sub", List.of(x[i], mean[i]), p + "_centred", name);
            String squares = node("Mul", List.of(centred[i], centred[i]), p + "_squares", name);
            String sum = node("ReduceSum", List.of(squares, constantLongs(p + "_axes", 2, 3)), p + "_sum", name,
                    intAttribute("keepdims", 1));
            String variance = node("Div", List.of(sum, scalar(p + "_n_minus_1", n - 1)), p + "_variance", name);
            std[i] = node("Add", List.of(node("Sqrt", List.of(variance), p + "_std0", name),
                    scalar(p + "_eps", (float) AdaIN.EPSILON)), p + "_std", name);
        }
        String normalised = node("Div", List.of(centred[0], std[0]), name + "/normalised", name);
        return node("Add", List.of(node("Mul", List.of(normalised, std[1]), name + "/styled", name), mean[1]), name, name);
    }

    /**
     * The non-local block's attention as {@link NonLocalAttention} defines it: softmax over the
     * keys of theta^T phi, times g, back to theta's map.
     */
    private String attention(String name, String theta, String phi, String g) {
        InputType.InputTypeConvolutional q = (InputType.InputTypeConvolutional) types.get(name);
        InputType.InputTypeConvolutional k = (InputType.InputTypeConvolutional) types.get(declaration.getVertexInputs().get(name).get(1));
        long channels = q.getChannels();
        String thetaFlat = node("Reshape", List.of(theta, constantLongs(name + "/query_shape", 0, channels, q.getHeight() * q.getWidth())),
                name + "/theta_flat", name);
        String keyShape = constantLongs(name + "/key_shape", 0, channels, k.getHeight() * k.getWidth());
        String phiFlat = node("Reshape", List.of(phi, keyShape), name + "/phi_flat", name);
        String gFlat = node("Reshape", List.of(g, keyShape), name + "/g_flat", name);
        String thetaT = node("Transpose", List.of(thetaFlat), name + "/theta_t", name, intsAttribute("perm", 0, 2, 1));
        String f = node("MatMul", List.of(thetaT, phiFlat), name + "/f", name);
        String weights = node("Softmax", List.of(f), name + "/softmax", name, intAttribute("axis", 2));
        String weightsT = node("Transpose", List.of(weights), name + "/softmax_t", name, intsAttribute("perm", 0, 2, 1));
        String y = node("MatMul", List.of(gFlat, weightsT), name + "/y", name);
        return node("Reshape", List.of(y, constantLongs(name + "/out_shape", 0, channels, q.getHeight(), q.getWidth())), name, name);
    }

    // ---- the protobuf, one value name each ----

    private String node(String op, List<String> inputs, String output, String scope, Onnx.AttributeProto... attributes) {
        String out = unique(output);
        Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        inputs.forEach(node::addInput);
        for (Onnx.AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        node.setDocString(scope);
        graph.addNode(node);
        return out;
    }

    private String unique(String name) {
        int n = used.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "#" + n;
    }

    /** A parameter of the network as an initializer, in the shape ONNX's operator wants. */
    private String param(String vertex, String key) {
        INDArray value = net.getParam(vertex + "_" + key);
        if (value == null) {
            throw new IllegalStateException("the network has no parameter " + vertex + "_" + key);
        }
        value = value.castTo(DataType.FLOAT).dup('c');
        long[] shape = value.rank() == 2 && value.size(0) == 1 && !key.equals("W") ? new long[]{value.length()}
                : value.shape();
        return constant(vertex + "/" + key, value.data().asFloat(), shape);
    }

    private String constant(String name, float[] values, long[] shape) {
        String n = unique(name);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(n)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return n;
    }

    private String scalar(String name, double value) {
        return constant(name, new float[]{(float) value}, new long[]{});
    }

    private String constantLongs(String name, long... values) {
        String n = unique(name);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(n).setDataType(Onnx.TensorProto.DataType.INT64.getNumber())
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes)));
        return n;
    }

    private static Onnx.ValueInfoProto valueInfo(String name, String batch, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }

    private static Onnx.AttributeProto intAttribute(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static Onnx.AttributeProto intsAttribute(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static Onnx.AttributeProto floatAttribute(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static IllegalArgumentException unsupported(String vertex, String what) {
        return new IllegalArgumentException("cannot export " + vertex + " to ONNX: " + what + " has no ONNX form here");
    }
}
