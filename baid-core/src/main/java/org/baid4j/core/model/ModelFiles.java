package org.baid4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.baid4j.core.io.OutputFile;
import org.baid4j.core.io.StrictJson;
import org.baid4j.core.plan.ExecutionPlan;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
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
 * Model files: DL4J's ModelSerializer zip (configuration.json, coefficients.bin,
 * updaterState.bin), plus a {@value #CARD_ENTRY} entry with the {@link ModelCard}, so that a file
 * says what it holds. The configuration is the model as declared, before any execution plan
 * ({@link ExecutionPlan}): plain layers and NCHW, runnable by any backend; a file is loaded for a
 * plan. Files of an earlier format (card format 1, with CPU kernels and layouts in their
 * configuration; or no card) are refused with what to do.
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
                zip.write(ExecutionPlan.semanticConfiguration(graph).toJson().getBytes(StandardCharsets.UTF_8));
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
        return load(file, ExecutionPlan.standard());
    }

    /** As {@link #load(File)}, run by {@code plan}. */
    public static AestheticsModel load(File file, ExecutionPlan plan) throws IOException {
        return loadNetwork(file, plan, AestheticsModel.class, "a model that scores images");
    }

    /** Loads a network of {@code type} from its file; a file of another type is an error naming the file, its type and {@code what}. */
    static <T extends TrainableNetwork> T loadNetwork(File file, ExecutionPlan plan, Class<T> type, String what) throws IOException {
        TrainableNetwork network = loadNetwork(file, plan);
        if (!type.isInstance(network)) {
            throw new IOException(file + ": a " + readCard(file).map(ModelCard::type).orElse("?") + " model, not " + what);
        }
        return type.cast(network);
    }

    /** Loads any registered network type from its file (the GAB pretraining network too), run by this machine's plan. */
    public static TrainableNetwork loadNetwork(File file) throws IOException {
        return loadNetwork(file, ExecutionPlan.standard());
    }

    /** Loads any registered network type from its file, run by {@code plan}. */
    public static TrainableNetwork loadNetwork(File file, ExecutionPlan plan) throws IOException {
        ModelCard card = readCard(file).orElseThrow(() -> new IOException(file + ": a DL4J model file without a baid4j card"
                + " (written by DL4J, or by a baid4j before model cards): " + RECREATE));
        return ModelRegistry.type(card.type()).restore(restoreGraph(file, plan), card, file);
    }

    /** What to do with a file of an earlier format. */
    static final String RECREATE = "make it again from the PyTorch checkpoint (baid import-weights --from model_best.pth"
            + " --to saan.zip) or by training again";

    /** The network in a model file, run by {@code plan}, updater state included when present. */
    static ComputationGraph restoreGraph(File file, ExecutionPlan plan) throws IOException {
        ComputationGraphConfiguration conf;
        INDArray params;
        INDArray updater = null;
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry json = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            ZipEntry coefficients = zip.getEntry(ModelSerializer.COEFFICIENTS_BIN);
            if (json == null || coefficients == null) {
                throw new IOException(file + ": not a DL4J model file (no " + (json == null ? "configuration.json" : "coefficients.bin") + ")");
            }
            conf = ComputationGraphConfiguration.fromJson(new String(zip.getInputStream(json).readAllBytes(), StandardCharsets.UTF_8));
            params = readArray(zip, coefficients);
            ZipEntry state = zip.getEntry(ModelSerializer.UPDATER_BIN);
            if (state != null) {
                updater = readArray(zip, state);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(file + ": a damaged or truncated model file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e : new IOException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a usable DL4J model file (" + e.getMessage() + ")", e);
        }
        try {
            conf.setDataType(params.dataType());
            return plan.network(conf, params, updater);
        } catch (RuntimeException e) {
            throw new IOException(file + ": its network cannot be built (" + e.getMessage() + ")", e);
        }
    }

    private static INDArray readArray(ZipFile zip, ZipEntry entry) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(entry), 1 << 20))) {
            return Nd4j.read(in);
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
        ZipFile zip;
        try {
            zip = new ZipFile(file);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": a damaged or truncated model file (" + e.getMessage() + ")", e);
        }
        try (zip) {
            ZipEntry entry = zip.getEntry(CARD_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            JsonNode json = StrictJson.read(zip.getInputStream(entry), CARD_ENTRY);
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

    /** The card, read strictly: every field of the kind it must be, or an error naming it. */
    private static ModelCard fromJson(JsonNode json, File file) throws IOException {
        if (!json.isObject()) {
            throw new IOException("not a JSON object");
        }
        JsonNode formatNode = json.get("format");
        int format = formatNode != null && formatNode.isInt() ? formatNode.intValue() : -1;
        if (format > 0 && format < ModelCard.FORMAT) {
            throw new IOException("a model file of baid4j's earlier format " + format + " (CPU kernels and layouts in its"
                    + " configuration), which this version does not read: " + RECREATE);
        }
        if (format != ModelCard.FORMAT) {
            throw new IOException("card format " + (formatNode == null ? "missing" : formatNode.toString())
                    + ", this version reads format " + ModelCard.FORMAT);
        }
        JsonNode p = json.get("preprocessing");
        if (p == null || !p.isObject()) {
            throw new IOException("\"preprocessing\" takes an object");
        }
        double side = StrictJson.number(p, "inputSize", "preprocessing");
        if (side != Math.rint(side) || side < 1 || side > 65536) {
            throw new IOException("preprocessing: \"inputSize\" takes a whole number of pixels, got " + p.get("inputSize"));
        }
        Preprocessing preprocessing;
        try {
            preprocessing = new Preprocessing((int) side, StrictJson.text(p, "resize", "preprocessing"),
                    floats(p, "mean"), floats(p, "std"));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        JsonNode config = json.get("config");
        if (config == null || !config.isObject()) {
            throw new IOException("\"config\" takes an object");
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> setting = it.next();
            if (setting.getValue().isNull()) {
                throw new IOException("config: \"" + setting.getKey() + "\" is null");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = JSON.convertValue(config, Map.class);
        return new ModelCard(StrictJson.text(json, "type", "the card"), settings, preprocessing);
    }

    private static float[] floats(JsonNode object, String field) {
        JsonNode array = object.get(field);
        if (array == null || !array.isArray() || array.size() != 3) {
            throw new IllegalArgumentException("preprocessing: \"" + field + "\" takes three numbers, one a channel");
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw new IllegalArgumentException("preprocessing: \"" + field + "\" takes three numbers, got " + array);
            }
            out[i] = (float) v.doubleValue();
        }
        return out;
    }
}
