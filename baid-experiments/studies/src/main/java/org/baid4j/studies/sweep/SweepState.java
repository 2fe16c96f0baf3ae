package org.baid4j.studies.sweep;

import org.baid4j.core.io.OutputFile;
import org.baid4j.training.engine.RunDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SWEEP/state.json: every trial so far in order, with its status (running, complete, failed),
 * parameters (as the candidate's values and Arbiter's unit inputs), objective and time. Written
 * atomically when a trial starts and when it ends.
 */
public final class SweepState {
    public static final String RUNNING = "running";
    static final String COMPLETE = "complete";
    static final String FAILED = "failed";

    record File(List<SweepTrial> trials) {
    }

    private final Path path;
    private final List<SweepTrial> trials;

    private SweepState(Path path, List<SweepTrial> trials) {
        this.path = path;
        this.trials = new ArrayList<>(trials);
    }

    static SweepState create(Path sweep) throws IOException {
        SweepState s = new SweepState(sweep.resolve("state.json"), List.of());
        s.write();
        return s;
    }

    public static SweepState read(Path sweep) throws IOException {
        Path path = sweep.resolve("state.json");
        List<SweepTrial> trials = RunDirectory.readJson(path, File.class).trials();
        if (trials == null) {
            throw new IOException(path + ": no \"trials\" list");
        }
        for (int i = 0; i < trials.size(); i++) {
            SweepTrial t = trials.get(i);
            if (t == null || t.number() != i || t.parameters() == null || t.unit() == null || t.runDir() == null
                    || !(RUNNING.equals(t.status()) || COMPLETE.equals(t.status()) || FAILED.equals(t.status()))) {
                throw new IOException(path + ": trial " + i + " is damaged (" + t + ")");
            }
        }
        return new SweepState(path, trials);
    }

    public synchronized List<SweepTrial> trials() {
        return List.copyOf(trials);
    }

    synchronized void put(SweepTrial t) throws IOException {
        if (t.number() < trials.size()) {
            trials.set(t.number(), t);
        } else if (t.number() == trials.size()) {
            trials.add(t);
        } else {
            throw new IllegalStateException("trial " + t.number() + " after " + trials.size() + " trials");
        }
        write();
    }

    synchronized double seconds() {
        return trials.stream().mapToDouble(SweepTrial::seconds).sum();
    }

    private void write() throws IOException {
        Files.createDirectories(path.getParent());
        OutputFile.write(path, RunDirectory.JSON.writeValueAsBytes(new File(trials)));
    }
}
