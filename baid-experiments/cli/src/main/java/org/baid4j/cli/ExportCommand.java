package org.baid4j.cli;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.AestheticsModel;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.weights.OnnxExporter;
import org.baid4j.weights.WeightsExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code baid export}: a SAAN model as the authors' state_dict (.pth) or as an ONNX model (.onnx). */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Export a SAAN model for PyTorch (.pth, the authors' state_dict) or ONNX Runtime (.onnx).",
        description = {"Write a model as the authors' state_dict (--to model.pth: the keys the reference SAAN's",
                "load_state_dict(strict=True) takes, float32, torch.save's zip format) or as an ONNX model (--to",
                "model.onnx: opset 13, input 'image' [N, 3, S, S] normalised as for scoring, output 'score' [N, 1]",
                "on the 0-10 scale). See docs/export.md for loading either without baid4j."})
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = {"A baid4j model file, the authors' .pth, or '" + ScoreCommand.UNTRAINED + "' (a seeded untrained SAAN)."})
    String model;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The file to write: *.pth or *.onnx.")
    Path to;

    @Option(names = "--input-size", paramLabel = "PX",
            description = "Input side: a .pth's or the untrained model's (default 224), and the side an ONNX model takes"
                    + " (default: the model's own).")
    Integer inputSize;

    @Override
    public Integer call() throws Exception {
        String name = to.getFileName() == null ? "" : to.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean onnx = name.endsWith(".onnx");
        if (!onnx && !name.endsWith(".pth") && !name.endsWith(".pt")) {
            throw new IllegalArgumentException("--to " + to + ": name the format by its extension, .pth (PyTorch) or .onnx");
        }
        if (inputSize != null && inputSize < SaanConfig.MIN_INPUT_SIZE) {
            throw new IllegalArgumentException("--input-size " + inputSize + ": at least " + SaanConfig.MIN_INPUT_SIZE);
        }
        int size = inputSize != null ? inputSize : 224;
        if (!ScoreCommand.UNTRAINED.equals(model)) {
            Path file = Path.of(model);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--model " + model + ": no such file");
            }
            OutputFile.refuseInput("--to", to, List.of(file));
        }
        AestheticsModel opened = ScoreCommand.openModel(model, size).model();
        if (!(opened instanceof SaanModel saan)) {
            throw new IllegalArgumentException("--model " + model + ": a " + opened.card().type() + " model; only SAAN models export");
        }
        if (inputSize != null && saan.inputSize() != inputSize) {   // a model file of another side
            saan = rebuiltAt(saan, inputSize);
        }
        OutputFile.requireWritableFolder(to.toAbsolutePath().getParent(), "--to");
        if (onnx) {
            int nodes = OnnxExporter.exportSaan(saan, to);
            System.out.printf("%s: ONNX opset %d, %d nodes, input %s [N, 3, %d, %d], output %s [N, 1]%n", to, OnnxExporter.OPSET,
                    nodes, OnnxExporter.INPUT, saan.inputSize(), saan.inputSize(), OnnxExporter.OUTPUT);
        } else {
            List<String> keys = WeightsExporter.exportSaan(saan, to);
            System.out.printf("%s: the authors' state_dict, %d tensors (%s)%n", to, keys.size(), saan.variant().label());
        }
        return 0;
    }

    /** The same parameters in a network declared for another input side (SAAN's parameters do not depend on it). */
    private static SaanModel rebuiltAt(SaanModel model, int size) {
        SaanModel other = SaanModel.create(model.config().withInputSize(size));
        other.graph().params().assign(model.graph().params());
        return other;
    }
}
