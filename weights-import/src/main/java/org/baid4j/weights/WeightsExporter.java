package org.baid4j.weights;

import org.baid4j.core.model.SaanModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The importer's way back: a SAAN network as the authors' state_dict ({@code GenAes.*},
 * {@code StyAes.*}, {@code NLB.*}, {@code bn.*}, {@code predictor.*}), float32, in
 * {@code torch.save}'s zip format, the keys that the reference SAAN's
 * {@code load_state_dict(strict=True)} takes. It reads the same {@link NameRules} backwards;
 * BatchNorm's {@code num_batches_tracked}, which DL4J does not keep, is written as 0 (PyTorch's BN
 * reads it only with momentum None).
 */
public final class WeightsExporter {
    private WeightsExporter() {
    }

    /** Writes {@code model} to {@code file} as the authors' state_dict; returns the keys written, in order. */
    public static java.util.List<String> exportSaan(SaanModel model, Path file) throws IOException {
        Map<String, TorchCheckpointWriter.Tensor> stateDict = stateDict(model.graph(), CheckpointLayout.SAAN);
        TorchCheckpointWriter.write(file, stateDict);
        return java.util.List.copyOf(stateDict.keySet());
    }

    /** Every parameter of {@code net} under its checkpoint name of {@code layout}. */
    static Map<String, TorchCheckpointWriter.Tensor> stateDict(ComputationGraph net, CheckpointLayout layout) {
        NameRules rules = NameRules.standard();
        Map<String, TorchCheckpointWriter.Tensor> out = TorchCheckpointWriter.stateDict();
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> params = layer.paramTable(false);
            if (params.isEmpty()) {
                continue;
            }
            String module = rules.moduleFor(layout, name);
            if (module == null) {
                throw new IllegalStateException("layer " + name + " has no module in " + layout.description()
                        + ": the name rules cannot export it");
            }
            String kind = WeightsImporter.kindOf(layer);
            for (Map.Entry<String, INDArray> p : params.entrySet()) {
                String param = rules.torchParameter(kind, p.getKey());
                if (param == null) {
                    throw new IllegalStateException(name + "_" + p.getKey() + ": a " + kind + " parameter with no torch name");
                }
                NameRules.ParameterRule rule = rules.parameter(kind, param);
                INDArray value = p.getValue().castTo(DataType.FLOAT);
                long[] shape = torchShape(kind, p.getKey(), value);
                if (rule.transpose()) {
                    value = value.transpose();
                }
                out.put(module + "." + param, TorchCheckpointWriter.Tensor.of(value.dup('c').data().asFloat(), shape));
            }
            if ("batchnorm".equals(kind)) {
                out.put(module + ".num_batches_tracked", TorchCheckpointWriter.Tensor.scalar(0));
            }
        }
        return out;
    }

    /** PyTorch's shape: conv weights as they are (OIHW), vectors flat, linear weights [out, in]. */
    private static long[] torchShape(String kind, String dl4jKey, INDArray value) {
        if ("dense".equals(kind) && "W".equals(dl4jKey)) {
            return new long[]{value.size(1), value.size(0)};
        }
        if ("conv".equals(kind) && "W".equals(dl4jKey)) {
            return value.shape();
        }
        return new long[]{value.length()};
    }
}
