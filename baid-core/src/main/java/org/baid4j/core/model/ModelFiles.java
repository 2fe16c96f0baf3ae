package org.baid4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.baid4j.core.backend.OneDnn;
import org.baid4j.core.io.OutputFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Model files: DL4J's ModelSerializer zip, plus a {@value #CARD_ENTRY} entry with the
 * {@link ModelCard}, so that a file says what it holds. Files written before cards existed load
 * as SAAN networks described from their graph.
 */
public final class ModelFiles {
    public static final String CARD_ENTRY = "baid4j-model.json";
    /** The cards' JSON: a model type's configuration record is written and read through it. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    /**
     * Writes {@code graph} with its card, replacing {@code file} whole or not at all: the entries
     * DL4J's {@link ModelSerializer} writes and reads, in one pass. The arrays are stored, not
     * deflated: a trained network's floats shrink by a few percent for seconds of a checkpoint.
     */
    public static void write(ComputationGraph graph, ModelCard card, File file, boolean withUpdater) throws IOException {
        OutputFile.write(file.toPath(), tmp -> {
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                zip.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
                zip.write(graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
                zip.putNextEntry(new ZipEntry(CARD_ENTRY));
                zip.write(JSON.writeValueAsBytes(toJson(card)));
                zip.setLevel(Deflater.NO_COMPRESSION);
                writeArray(zip, ModelSerializer.COEFFICIENTS_BIN, graph.params());
                INDArray updater = withUpdater && graph.getUpdater() != null ? graph.getUpdater().getStateViewArray() : null;
                if (updater != null && updater.length() > 0) {
                    writeArray(zip, ModelSerializer.UPDATER_BIN, updater);
                }
            }
        });
    }

    private static void writeArray(ZipOutputStream zip, String entry, INDArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(entry));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(zip, 1 << 20));
        Nd4j.write(array, out);
        out.flush();
    }

    /** Loads an aesthetics model (SAAN, ...) from its file; any other kind of network is an error naming the file and its type. */
    public static AestheticsModel load(File file) throws IOException {
        return loadNetwork(file, AestheticsModel.class, "a model that scores images");
    }

    /** Loads a network of {@code type} from its file; a file of another type is an error naming the file, its type and {@code what}. */
    static <T extends TrainableNetwork> T loadNetwork(File file, Class<T> type, String what) throws IOException {
        TrainableNetwork network = loadNetwork(file);
        if (!type.isInstance(network)) {
            String held = readCard(file).map(ModelCard::type).orElse(SaanModel.TYPE.name());
            throw new IOException(file + ": a " + held + " model, not " + what);
        }
        return type.cast(network);
    }

    /** Loads any registered network type from its file (the GAB pretraining network too). */
    public static TrainableNetwork loadNetwork(File file) throws IOException {
        ComputationGraph graph = restoreGraph(file);
        Optional<ModelCard> card = readCard(file);
        if (card.isEmpty()) {
            return SaanModel.describedByGraph(graph, file);
        }
        return ModelRegistry.type(card.get().type()).restore(graph, card.get(), file);
    }

    /** The DL4J network in a model file, updater state included when present. */
    static ComputationGraph restoreGraph(File file) throws IOException {
        OneDnn.enable();
        try {
            return FrozenBranchGraph.of(ModelSerializer.restoreComputationGraph(file, true));
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(file + ": a damaged or truncated model file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a DL4J model file (" + e.getMessage() + ")", e);
        }
    }

    /** The card of a baid4j model file; empty for anything else (a PyTorch checkpoint, a file that is no zip, an old model file). */
    public static Optional<ModelCard> cardIfModelFile(java.nio.file.Path file) {
        try {
            return readCard(file.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The file's card; empty for files written before cards existed. */
    public static Optional<ModelCard> readCard(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry entry = zip.getEntry(CARD_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(zip.getInputStream(entry));
            return Optional.of(fromJson(json, file));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable " + CARD_ENTRY + " (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> toJson(ModelCard card) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inputSize", card.preprocessing().inputSize());
        p.put("resize", card.preprocessing().resize());
        p.put("mean", card.preprocessing().mean());
        p.put("std", card.preprocessing().std());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", ModelCard.FORMAT);
        json.put("type", card.type());
        json.put("config", new java.util.TreeMap<>(card.config()));
        json.put("preprocessing", p);
        return json;
    }

    private static ModelCard fromJson(JsonNode json, File file) throws IOException {
        int format = json.path("format").asInt(-1);
        if (format != ModelCard.FORMAT) {
            throw new IOException("card format " + format + ", this version reads format " + ModelCard.FORMAT);
        }
        JsonNode p = json.get("preprocessing");
        Preprocessing preprocessing = new Preprocessing(p.get("inputSize").asInt(), p.get("resize").asText(),
                floats(p.get("mean")), floats(p.get("std")));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = JSON.convertValue(json.get("config"), Map.class);
        return new ModelCard(json.get("type").asText(), config, preprocessing);
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
