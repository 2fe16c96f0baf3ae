package org.baid4j.cli;

import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingRun;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/** DL4J's training UI for a run: its web server, and a StatsListener on the graph being trained. */
final class TrainingUi implements TrainingListener {
    private final StatsStorage storage;

    private TrainingUi(StatsStorage storage) {
        this.storage = storage;
    }

    /** Starts the UI server on {@code port} (DL4J reads the port from a system property). */
    static TrainingUi start(int port) {
        System.setProperty("org.deeplearning4j.ui.port", Integer.toString(port));
        StatsStorage storage = new InMemoryStatsStorage();
        UIServer.getInstance().attach(storage);
        System.err.println("training UI: http://localhost:" + port + "/train");
        return new TrainingUi(storage);
    }

    /** Where the StatsListener's records go (what the UI shows). */
    StatsStorage storage() {
        return storage;
    }

    @Override
    public void onTrainingBegin(TrainingRun<?> run) {
        run.model().graph().addListeners(new StatsListener(storage));
    }
}
