package org.baid4j.experiments.cli;

import org.baid4j.experiments.training.Trainer;
import org.baid4j.experiments.training.TrainingConfig;
import org.baid4j.experiments.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train --ui}: DL4J's training UI serves on 127.0.0.1 and receives the run's statistics. */
class TrainingUiTest {

    @Test
    void theUiServesWhileARunTrains(@TempDir Path dir) throws Exception {
        Path root = org.baid4j.experiments.training.TrainResumeTest.tinyRoot(dir.resolve("baid"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int[] attached = {0};
        Trainer.Listener listener = TrainingUi.start(port, new Trainer.Listener() {
            @Override
            public void attach(org.deeplearning4j.nn.graph.ComputationGraph graph) {
                attached[0] = graph.getListeners().size();
            }
        });
        TrainingConfig config = new TrainingConfig(root.toString(), "full", 64, 1e-4, 5e-4, 0.0, "relu", 1, 5, 1, "1.0",
                null, null, null, null, true, false, 2, false, 1, 1);
        TrainingResult result = Trainer.train(config, dir.resolve("run"), listener);
        assertEquals(1, result.epochs().size());
        assertEquals(1, attached[0], "the StatsListener is on the graph");
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/train/overview").openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        assertEquals(200, c.getResponseCode());
        String page = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(page.toLowerCase().contains("<html"), page.substring(0, Math.min(200, page.length())));
        org.deeplearning4j.ui.api.UIServer.getInstance().stop();
    }
}
