package org.baid4j.experiments.cli;

import org.baid4j.experiments.training.EpochMetrics;
import org.baid4j.experiments.training.Trainer;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/** DL4J's training UI for a run: its web server, and a StatsListener on the graph being trained. */
final class TrainingUi implements Trainer.Listener {
    private final StatsStorage storage;
    private final Trainer.Listener inner;

    private TrainingUi(StatsStorage storage, Trainer.Listener inner) {
        this.storage = storage;
        this.inner = inner;
    }

    /** Starts the UI server on {@code port} (DL4J reads the port from a system property). */
    static TrainingUi start(int port, Trainer.Listener inner) {
        System.setProperty("org.deeplearning4j.ui.port", Integer.toString(port));
        StatsStorage storage = new InMemoryStatsStorage();
        UIServer.getInstance().attach(storage);
        System.err.println("training UI: http://localhost:" + port + "/train");
        return new TrainingUi(storage, inner);
    }

    @Override
    public void attach(ComputationGraph graph) {
        graph.addListeners(new StatsListener(storage));
        inner.attach(graph);
    }

    @Override
    public void epochStarted(int epoch, int batches) {
        inner.epochStarted(epoch, batches);
    }

    @Override
    public void batchDone(int epoch, double loss, int images) {
        inner.batchDone(epoch, loss, images);
    }

    @Override
    public void epochDone(EpochMetrics metrics) {
        inner.epochDone(metrics);
    }
}
