package org.baid4j.training.engine;

import org.baid4j.core.io.StrictJson;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.baid4j.core.io.OutputFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run's folder: config.json, metrics.csv (a row per epoch), train.log, checkpoints/
 * (model with updater state, every few epochs) with checkpoint.json naming the last one, and
 * best.zip (the best model by the task's objective). Every file is replaced atomically (written
 * beside, then renamed), so a run killed at any moment leaves the last complete state.
 */
public final class RunDirectory implements TrainingTask.RunLog {
    public static final String BEST = "best.zip";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What checkpoint.json holds: the last checkpoint's epoch (0-based, completed) and file, the
     * best value so far and its epoch, and ND4J's random state then (dropout continues from it);
     * files from before the random state was kept hold 0 there.
     */
    public record Checkpoint(int epoch, String model, @JsonAlias("bestSrcc") double best, int bestEpoch,
                             long randomRoot, long randomNode) {
        public Checkpoint {
            if (epoch < 0 || model == null || model.isBlank() || bestEpoch < -1 || bestEpoch > epoch) {
                throw new IllegalArgumentException("a checkpoint needs its epoch (0 or more), its model file and a best"
                        + " epoch not after it; got epoch " + epoch + ", model " + model + ", best epoch " + bestEpoch);
            }
        }

        public boolean hasRandomState() {
            return randomRoot != 0 || randomNode != 0;
        }
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
        return dir.resolve(BEST);
    }

    public Path checkpointState() {
        return dir.resolve("checkpoint.json");
    }

    public Path checkpointModel(int epoch) {
        return dir.resolve("checkpoints").resolve(String.format("epoch-%03d.zip", epoch));
    }

    /**
     * A path as config.json stores it: absolute, so that a run resumes from any working directory;
     * null stays null.
     */
    public static String absolute(String path) {
        return path == null ? null : Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** A JSON file of a run or sweep; a damaged one is an error naming the file, the problem and where it is. */
    public static JsonNode readJson(Path file) throws IOException {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new IOException(file + ": empty (no JSON in it)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": damaged JSON (" + StrictJson.problem(e) + ")", e);
        }
    }

    /** {@link #readJson} read as {@code type}; fields of the wrong kind are named as well. */
    public static <T> T readJson(Path file, Class<T> type) throws IOException {
        JsonNode node = readJson(file);
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a usable " + type.getSimpleName() + " (" + StrictJson.problem(e) + ")", e);
        }
    }

    public boolean holdsRun() {
        return Files.exists(config());
    }

    /**
     * Whether the run here got anywhere: a checkpoint, or an epoch in metrics.csv. A run that failed
     * before its first epoch (a cluster that went away, a wrong weights file) holds nothing to keep,
     * and the same command starts it over.
     */
    public boolean hasProgress() throws IOException {
        return Files.exists(checkpointState()) || !readMetrics().isEmpty();
    }

    void writeConfig(Object config) throws IOException {
        Files.createDirectories(dir);
        OutputFile.write(config(), JSON.writeValueAsBytes(config));
    }

    void writeCheckpointState(Checkpoint c) throws IOException {
        OutputFile.write(checkpointState(), JSON.writeValueAsBytes(c));
    }

    public Checkpoint readCheckpointState() throws IOException {
        if (!Files.exists(checkpointState())) {
            return null;
        }
        return readJson(checkpointState(), Checkpoint.class);
    }

    public List<EpochMetrics> readMetrics() throws IOException {
        List<EpochMetrics> rows = new ArrayList<>();
        if (Files.exists(metrics())) {
            List<String> lines = Files.readAllLines(metrics());
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    try {
                        rows.add(EpochMetrics.parse(lines.get(0), line));
                    } catch (RuntimeException e) {
                        throw new IOException(metrics() + ": unreadable row '" + line + "' (" + e.getMessage() + ")", e);
                    }
                }
            }
        }
        return rows;
    }

    /** Keeps the rows of epochs up to {@code lastEpoch}: a resumed run redoes the later ones. */
    void truncateMetrics(int lastEpoch, List<String> metricColumns) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.header(metricColumns)).append('\n');
        for (EpochMetrics m : readMetrics()) {
            if (m.epoch() <= lastEpoch) {
                sb.append(m.csv()).append('\n');
            }
        }
        OutputFile.write(metrics(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Rewrites metrics.csv whole with {@code m} added: a full disk leaves the old file, never half a row. */
    void appendMetrics(EpochMetrics m, List<String> metricColumns) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.header(metricColumns)).append('\n');
        for (EpochMetrics earlier : readMetrics()) {
            sb.append(earlier.csv()).append('\n');
        }
        sb.append(m.csv()).append('\n');
        OutputFile.write(metrics(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void log(String line) throws IOException {
        Files.createDirectories(dir);
        OutputFile.append(log(), LocalDateTime.now().withNano(0) + " " + line + "\n");
    }
}
