package org.baid4j.experiments.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run's folder: config.json, metrics.csv (a row per epoch), train.log, checkpoints/
 * (model with updater state, every few epochs) with checkpoint.json naming the last one, and
 * best.zip (the best model by validation SRCC). Every file is replaced atomically (written beside,
 * then renamed), so a run killed at any moment leaves the last complete state.
 */
public final class RunDirectory {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What checkpoint.json holds: the last checkpoint's epoch (0-based, completed), file and best SRCC so far. */
    public record Checkpoint(int epoch, String model, double bestSrcc, int bestEpoch) {
    }

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    public Path log() {
        return dir.resolve("train.log");
    }

    public Path best() {
        return dir.resolve("best.zip");
    }

    public Path checkpointState() {
        return dir.resolve("checkpoint.json");
    }

    public Path checkpointModel(int epoch) {
        return dir.resolve("checkpoints").resolve(String.format("epoch-%03d.zip", epoch));
    }

    void writeConfig(TrainingConfig config) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(config(), JSON.writeValueAsBytes(config));
    }

    public TrainingConfig readConfig() throws IOException {
        if (!Files.exists(config())) {
            throw new IOException(dir + ": not a training run (no config.json)");
        }
        return JSON.readValue(config().toFile(), TrainingConfig.class);
    }

    void writeCheckpointState(Checkpoint c) throws IOException {
        writeAtomically(checkpointState(), JSON.writeValueAsBytes(c));
    }

    public Checkpoint readCheckpointState() throws IOException {
        if (!Files.exists(checkpointState())) {
            return null;
        }
        return JSON.readValue(checkpointState().toFile(), Checkpoint.class);
    }

    public List<EpochMetrics> readMetrics() throws IOException {
        List<EpochMetrics> rows = new ArrayList<>();
        if (Files.exists(metrics())) {
            List<String> lines = Files.readAllLines(metrics());
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(EpochMetrics.parse(line));
                }
            }
        }
        return rows;
    }

    /** Keeps the rows of epochs up to {@code lastEpoch}: a resumed run redoes the later ones. */
    void truncateMetrics(int lastEpoch) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.HEADER).append('\n');
        for (EpochMetrics m : readMetrics()) {
            if (m.epoch() <= lastEpoch) {
                sb.append(m.csv()).append('\n');
            }
        }
        writeAtomically(metrics(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    void appendMetrics(EpochMetrics m) throws IOException {
        if (!Files.exists(metrics())) {
            Files.writeString(metrics(), EpochMetrics.HEADER + "\n");
        }
        Files.writeString(metrics(), m.csv() + "\n", StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    void log(String line) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(log(), LocalDateTime.now().withNano(0) + " " + line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Writes beside the target, then renames over it: readers see the old or the new file, whole. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Moves a finished file into place atomically. */
    static void moveAtomically(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
