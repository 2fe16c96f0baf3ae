package org.baid4j.studies;

import org.baid4j.core.io.OutputFile;

import org.baid4j.core.io.FolderLock;

import org.baid4j.core.io.FolderKind;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.training.report.RunReport;
import org.baid4j.training.saan.Evaluation;
import org.baid4j.weights.SaanModelFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model on a BAID split with the reference's metrics and the company they need (the majority
 * baseline, balanced accuracy, bootstrap intervals): result.csv, summary.json and a report. Run it
 * from an IDE or as {@code baid evaluate}.
 */
public final class SaanEvaluation {
    /** What to evaluate and how. */
    public record Settings(BaidSplit split, String subset, long seed, boolean skipMissing, int batch, int threads,
                           int bootstrap, int inputSize) {
        public static Settings standard() {
            return new Settings(BaidSplit.TEST, "1.0", 42, false, 32, Runtime.getRuntime().availableProcessors(), 1000, 224);
        }
    }

    /** Told how many images there are once the split is validated, then of each one scored. */
    public interface Progress {
        Progress NONE = images -> () -> { };

        Runnable started(int images);
    }

    private SaanEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        // The study's settings: the authors' released model on BAID's test split; -Dbaid.NAME=... sets each.
        Path model = Path.of(System.getProperty("baid.model", "model_best.pth"));
        Path root = Path.of(System.getProperty("baid.root", System.getProperty("user.home") + "/baid"));
        Path out = Path.of(System.getProperty("baid.out", "evaluation-test"));
        Settings s = Settings.standard();
        s = new Settings(s.split(), s.subset(), s.seed(), s.skipMissing(), s.batch(), s.threads(), s.bootstrap(),
                Integer.getInteger("baid.input-size", s.inputSize()));
        Evaluation.Outcome outcome = run(model, root, out, s, Progress.NONE);
        System.out.println(Evaluation.line("test", outcome.summary()));
    }

    /** Evaluates the model file (PyTorch or DL4J) and writes its files into {@code out}. */
    public static Evaluation.Outcome run(Path modelFile, Path root, Path out, Settings s, Progress progress)
            throws IOException {
        FolderKind.refuseOther(out, FolderKind.EVALUATION, "--out");
        OutputFile.requireWritableFolder(out, "--out");
        try (FolderLock lock = FolderLock.acquire(out)) {   // two evaluations into one folder would mix their files
            return runLocked(modelFile, root, out, s, progress);
        }
    }

    private static Evaluation.Outcome runLocked(Path modelFile, Path root, Path out, Settings s, Progress progress)
            throws IOException {
        BaidRoot baid = BaidRoot.open(root);
        BaidRoot.ValidatedSplit checked = baid.validate(s.split(), SubsetSpec.parse(s.subset()), s.seed(), s.skipMissing());
        if (!checked.leftOut().isEmpty()) {
            System.err.printf("%d missing or broken images left out (--skip-missing)%n", checked.leftOut().size());
        }
        List<BaidLabel> labels = checked.usable();
        AestheticsModel model = SaanModelFiles.open(modelFile, s.inputSize()).model();
        model.fixParameters();   // a file evaluated as a Scorer scores it: the same predictions as baid score
        Evaluation.Outcome outcome = Evaluation.run(model, labels,
                new FileImages(baid.imagesDir(), model.preprocessing().inputSize()), s.batch(), s.threads(), s.bootstrap(),
                s.seed(), out, progress.started(labels.size()));
        RunReport.write(out, "Evaluation of " + modelFile.getFileName(), List.of(),
                new RunReport.EvaluatedSplit(s.split().label(), modelFile.getFileName().toString(), outcome.truth(),
                        outcome.predicted(), outcome.summary()));
        return outcome;
    }
}
