package org.baid4j.training.pretraining;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.pretraining.GabPretraining;
import org.baid4j.weights.CheckpointFormatException;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.WeightsImporter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The pretraining run on a tiny root: both phases, the run folder's files, resume, and its checkpoint feeding SAAN. */
@Tag("training")
class GabPretrainingTest {

    static PretrainingConfig tiny(Path root, int epochs) {
        return PretrainingConfig.builder().setRoot(root).optValImages(10).optThreads(2)
                .optInputSize(64).optRankingFrom(1)
                .optEpochs(epochs).optBatch(5).optSeed(3).optIntervals(1, 1)
                .build();
    }

    @Test
    void bothPhasesTrainAndTheBestModelFeedsSaansBranches(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("root"));
        Path run = dir.resolve("run");
        TrainingResult result = TrainingRuns.pretrain(tiny(root, 2), run);

        List<EpochMetrics> epochs = result.epochs();
        assertEquals(2, epochs.size());
        assertTrue(Double.isNaN(epochs.get(0).metric("train_ranking_loss")), "no ranking loss before its epoch");
        assertFalse(Double.isNaN(epochs.get(1).metric("train_ranking_loss")), "the ranking loss from epoch 1");
        for (EpochMetrics m : epochs) {
            assertTrue(m.trainLoss() > 0 && m.metric("train_degradation_loss") > 0, m.csv());
            assertTrue(m.metric("val_accuracy") >= 0 && m.metric("val_accuracy") <= 1, m.csv());
            assertTrue(m.validated());
        }
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        assertEquals("epoch,train_loss,train_degradation_loss,train_ranking_loss,train_accuracy,val_loss,val_ranking_loss,"
                + "val_accuracy,lr,seconds,images_per_s", header);
        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"operations\" : \"drawn\""), "the tiny root's images are not BAID's: operations drawn, recorded");
        assertEquals(31, Files.readAllLines(run.resolve("operations.csv")).size(), "a row per operation");
        assertTrue(Files.readString(run.resolve("report.md")).contains("Degradation accuracy per operation"));

        // Resuming the finished run reads its configuration back and trains nothing more.
        TrainingResult resumed = TrainingRuns.resumePretraining(run);
        assertEquals(2, resumed.epochs().size());
        assertEquals(result.best(), resumed.best());

        // The best model feeds GAB and SAB's content ResNet, as the authors' epoch_99.pth does.
        GabPretrainingNetwork best = GabPretrainingNetwork.load(result.bestModel().toFile());
        SaanModel saan = SaanModel.create(SaanConfig.reference().withInputSize(64));
        ImportReport report = WeightsImporter.load(saan.graph(), result.bestModel(), CheckpointLayout.PRETRAIN);
        assertEquals(best.graph().getParam("model/layer3.5.conv3_W"), saan.graph().getParam("gab/layer3.5.conv3_W"));
        assertEquals(best.graph().getParam("model/layer2.0.bn1_mean"), saan.graph().getParam("sab/content/layer2.0.bn1_mean"));
        assertEquals(best.graph().getParam("model/conv1_W"), saan.graph().getParam("sab/content/conv1_W"));
        assertTrue(report.skipped().stream().anyMatch(s -> s.key().startsWith("model/layer4")), report.summary());
        assertTrue(report.skipped().stream().anyMatch(s -> s.key().startsWith("model/fc")), report.summary());
        assertTrue(report.notFilled().stream().noneMatch(p -> p.startsWith("gab/")), "every GAB parameter set");

        // The wrong kind of file is one line naming it.
        Path saanFile = dir.resolve("saan.zip");
        saan.save(saanFile.toFile(), false);
        CheckpointFormatException wrong = assertThrows(CheckpointFormatException.class,
                () -> WeightsImporter.load(saan.graph(), saanFile, CheckpointLayout.PRETRAIN));
        assertTrue(wrong.getMessage().contains(saanFile.toString()) && wrong.getMessage().contains("saan"), wrong.getMessage());
        Exception notSaan = assertThrows(Exception.class, () -> SaanModel.load(result.bestModel().toFile()));
        assertTrue(notSaan.getMessage().contains("gab-pretraining"), notSaan.getMessage());
    }

    @Test
    void anOperationsFileWithAnUnknownOperationOrAMissingImageIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("root"));
        Path ops = dir.resolve("ops.csv");
        Files.writeString(ops, "original,opt1,opt2,opt3\n1.jpg,0,4,31\n");
        PretrainingConfig base = tiny(root, 1);
        Exception unknown = assertThrows(Exception.class,
                () -> new GabPretraining(base.withData(base.data().withOperations(ops.toString()))));
        assertTrue(unknown.getMessage().contains(ops.toString()) && unknown.getMessage().contains("31"), unknown.getMessage());

        StringBuilder all = new StringBuilder("original,opt1,opt2,opt3\n");
        for (String image : Files.list(root.resolve("images")).map(p -> p.getFileName().toString()).sorted().toList()) {
            all.append(image).append(",0,1,2\n");
        }
        all.append("ghost.jpg,0,1,2\n");
        Files.writeString(ops, all);
        Exception missing = assertThrows(Exception.class,
                () -> new GabPretraining(base.withData(base.data().withOperations(ops.toString()))));
        assertTrue(missing.getMessage().contains("ghost.jpg"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("run")));
    }
}
