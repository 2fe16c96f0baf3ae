package org.baid4j.cli;

import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.testkit.TinyRuns;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train --ui}: DL4J's training UI serves on 127.0.0.1 and its storage receives the run's statistics. */
@Tag("training")
class TrainingUiTest {

    @Test
    void theUiServesWhileARunTrains(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            TrainingUi ui = TrainingUi.start(port);
            TrainingResult result = TrainingRuns.train(TinyRuns.config(root, 1, 5, 1), dir.resolve("run"), ui);
            assertEquals(1, result.epochs().size());

            List<String> sessions = ui.storage().listSessionIDs();
            assertEquals(1, sessions.size(), "one training session recorded");
            String session = sessions.get(0);
            List<String> workers = ui.storage().listWorkerIDsForSession(session);
            assertFalse(workers.isEmpty());
            // M2.1's StatsListener stores the model's static info but no per-step updates (see the README's
            // defects): the static info is what shows that the run's graph reports to the UI's storage.
            var info = (org.deeplearning4j.ui.model.stats.api.StatsInitializationReport)
                    ui.storage().getStaticInfo(session, StatsListener.TYPE_ID, workers.get(0));
            assertNotNull(info, "the model's static info");
            long params = org.baid4j.core.model.SaanModel.load(result.bestModel().toFile()).graph().numParams();
            assertEquals(params, info.getModelNumParams(), "the static info describes the run's network");

            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/train/overview").openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(10000);
            assertEquals(200, c.getResponseCode());
            String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(page.toLowerCase().contains("<html"), page.substring(0, Math.min(200, page.length())));
        } finally {
            UIServer.stopInstance();
        }
    }
}
