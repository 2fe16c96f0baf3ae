package org.baid4j.cli;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.TorchvisionWeights;
import org.baid4j.weights.WeightsImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code baid import-weights}: PyTorch checkpoints into a DL4J model file. Either a whole SAAN
 * checkpoint ({@code --from}), or a new network whose backbones come from the pretraining
 * checkpoint, torchvision's ResNet-50 and VGG-19 (the head and the non-local block keep their
 * seeded initialisation). Every import prints what it loaded and what it did not.
 */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = {"Convert PyTorch checkpoints into a DL4J SAAN model file.",
                "--from takes a full SAAN checkpoint (model_best.pth); --pretrained, --resnet and --vgg fill backbones."})
public final class ImportWeightsCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "SAAN.pth", description = "A full SAAN checkpoint (GenAes.*, StyAes.*, ...).")
    Path from;

    @Option(names = "--pretrained", paramLabel = "PRETRAIN.pth",
            description = "The pretraining network (epoch_99.pth: model.*) into GAB and SAB's ResNet.")
    Path pretrained;

    @Option(names = "--resnet", paramLabel = "RESNET50.pth|auto",
            description = "torchvision's resnet50 state_dict into GAB and SAB's ResNet (auto: the fetch-weights cache's).")
    String resnetOption;

    @Option(names = "--vgg", paramLabel = "VGG19.pth|auto",
            description = "torchvision's vgg19 state_dict into SAB's VGG slice (auto: the fetch-weights cache's).")
    String vggOption;

    @Option(names = "--to", required = true, paramLabel = "MODEL.zip", description = "The DL4J model file to write.")
    Path to;

    @Option(names = "--variant", defaultValue = "full", paramLabel = "NAME",
            description = "Network to build when there is no --from: full, without-gab, without-sab (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--input-size", defaultValue = "224", paramLabel = "PX", description = "Input side (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Override
    public Integer call() throws Exception {
        Path resnet = TorchvisionWeights.resolve("--resnet", resnetOption, TorchvisionWeights.Backbone.RESNET50);
        Path vgg = TorchvisionWeights.resolve("--vgg", vggOption, TorchvisionWeights.Backbone.VGG19);
        if (from == null && pretrained == null && resnet == null && vgg == null) {
            throw new IllegalArgumentException("nothing to import: give --from, or --pretrained / --resnet / --vgg");
        }
        List<Path> inputs = Stream.of(from, pretrained, resnet, vgg).filter(Objects::nonNull).toList();
        OutputFile.refuseInput("--to", to, inputs);
        SaanModel model;
        if (from != null) {
            WeightsImporter.ImportedSaan imported = WeightsImporter.importSaan(from, inputSize);
            print(imported.report());
            model = imported.model();
        } else {
            model = SaanModel.create(SaanConfig.of(SaanVariant.parse(variant)).withInputSize(inputSize));
        }
        if (resnet != null) {
            print(WeightsImporter.load(model.graph(), resnet, CheckpointLayout.TORCHVISION_RESNET50));
        }
        if (pretrained != null) {
            print(WeightsImporter.load(model.graph(), pretrained, CheckpointLayout.PRETRAIN));
        }
        if (vgg != null) {
            print(WeightsImporter.load(model.graph(), vgg, CheckpointLayout.TORCHVISION_VGG19));
        }
        model.save(to.toFile());
        System.err.printf("wrote %s (%s, input %dx%d)%n", to, model.variant().label(), model.inputSize(), model.inputSize());
        return 0;
    }

    private static void print(ImportReport report) {
        System.err.print(report.summary());
    }
}
