package org.baid4j.cli;

import org.baid4j.studies.SaanAblation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code baid ablation}: full, without GAB, without SAB under the same settings and seeds. */
@Command(name = "ablation", header = "Train and evaluate full SAAN, without GAB and without SAB, alike.", mixinStandardHelpOptions = true, defaultValueProvider = AblationCommand.Defaults.class,
        description = {"Train full SAAN, without GAB and without SAB under the same settings and seeds, evaluate each",
                "on the test split and write OUT/ablation.md (mean and spread over seeds). Resumable."})
public final class AblationCommand implements Callable<Integer> {
    /** The reference's settings, but for the study's run length. */
    static final class Defaults extends TrainingDefaults {
        @Override
        public String defaultValue(picocli.CommandLine.Model.ArgSpec arg) {
            if (arg instanceof picocli.CommandLine.Model.OptionSpec o && o.longestName().equals("--epochs")) {
                return Integer.toString(SaanAblation.EPOCHS);
            }
            if (arg instanceof picocli.CommandLine.Model.OptionSpec o && o.longestName().equals("--seeds")) {
                return Integer.toString(SaanAblation.SEEDS);
            }
            return super.defaultValue(arg);
        }
    }

    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
    Path root;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The ablation's folder.")
    Path out;

    @Option(names = "--seeds", description = "Seeds per variant, from --seed on (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--gab-pretrained", paramLabel = "FILE", description = "Add two rows: full SAAN with GAB and SAB's"
            + " ResNet from this pretraining checkpoint (baid pretrain's best.zip or epoch_99.pth), and with both random"
            + " (what the reference's public code trains).")
    Path gabPretrained;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        List<SaanAblation.Arm> arms = new ArrayList<>(SaanAblation.Arm.variants());
        if (gabPretrained != null) {
            if (!Files.isRegularFile(gabPretrained)) {
                throw new IllegalArgumentException("--gab-pretrained " + gabPretrained + ": no such file");
            }
            arms.add(SaanAblation.Arm.pretrainedGab(gabPretrained));
            arms.add(SaanAblation.Arm.randomGab());
        }
        SaanAblation.run(options.config(root, "full", null), out, seeds, arms, new EpochProgress());
        System.out.print(Files.readString(out.resolve("ablation.md")));
        return 0;
    }
}
