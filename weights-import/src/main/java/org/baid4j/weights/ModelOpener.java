package org.baid4j.weights;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.core.model.ModelFiles;
import org.baid4j.core.model.ModelRegistry;
import org.baid4j.core.model.SaanModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a scoring model from any file a user has, the kind read from the content, not the name: a
 * baid4j model file (its card says the type) or a PyTorch checkpoint of a registered type,
 * imported on the fly (the authors' {@code .pth}: plain, with DataParallel's {@code module.}
 * prefix, or a dict holding the state_dict).
 */
public final class ModelOpener {
    private ModelOpener() {
    }

    /** A model and, for a PyTorch file, the report of its import (null for baid4j files). */
    public record Opened(AestheticsModel model, ImportReport report) {
    }

    /** Any scoring model the file holds; a PyTorch checkpoint is read as SAAN's, at {@code inputSize}. */
    public static Opened open(Path file, int inputSize) throws IOException {
        return open(SaanModel.TYPE.name(), file, inputSize, false);
    }

    /**
     * The model of registered type {@code type} from {@code file}: a baid4j model file of that type,
     * or that type's PyTorch checkpoint, imported at {@code inputSize} (a baid4j file carries its own).
     */
    public static Opened open(String type, Path file, int inputSize) throws IOException {
        return open(type, file, inputSize, true);
    }

    private static Opened open(String type, Path file, int inputSize, boolean typeGiven) throws IOException {
        ModelRegistry.type(type);   // an unknown name is an error listing the known ones
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.isDirectory(file) ? "is a directory" : "no such file");
        }
        switch (kindOf(file)) {
            case PYTORCH: {
                if (!type.equals(SaanModel.TYPE.name())) {
                    throw new CheckpointFormatException(file + ": a PyTorch checkpoint, and only SAAN's ("
                            + SaanModel.TYPE.name() + ") are imported, not " + type + "'s");
                }
                WeightsImporter.ImportedSaan imported = WeightsImporter.importSaan(file, inputSize);
                return new Opened(imported.model(), imported.report());
            }
            case DL4J: {
                AestheticsModel model = ModelFiles.load(file.toFile());
                if (typeGiven && !model.card().type().equals(type)) {
                    throw new IOException(file + ": a " + model.card().type() + " model, not " + type);
                }
                return new Opened(model, null);
            }
            default:
                throw new CheckpointFormatException(file + ": neither a PyTorch checkpoint (torch.save) nor a baid4j model file");
        }
    }

    enum Kind { PYTORCH, DL4J, OTHER }

    static Kind kindOf(Path file) throws IOException {
        byte[] head;
        try (InputStream s = Files.newInputStream(file)) {
            head = s.readNBytes(4);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x80) {
            return Kind.PYTORCH;    // legacy torch.save: the importer explains
        }
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K') {
            return Kind.OTHER;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("configuration.json") != null) {
                return Kind.DL4J;
            }
            for (var e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith("data.pkl")) {
                    return Kind.PYTORCH;
                }
            }
            return Kind.OTHER;
        } catch (ZipException e) {
            throw new CheckpointFormatException(file + ": damaged or truncated zip (" + e.getMessage() + ")", e);
        }
    }
}
