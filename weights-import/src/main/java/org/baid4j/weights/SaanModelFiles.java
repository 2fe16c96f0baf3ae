package org.baid4j.weights;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipException;

/**
 * Opens a SAAN model from either kind of file a user has: a PyTorch checkpoint ({@code .pth},
 * imported on the fly at the given input size) or a DL4J model file written by baid4j. The kind is
 * read from the file's content, not its name.
 */
public final class SaanModelFiles {
    private SaanModelFiles() {
    }

    /** A model and, for a PyTorch file, the report of its import (null for DL4J files). */
    public record Opened(SaanModel model, ImportReport report) {
    }

    public static Opened open(Path file) throws IOException {
        return open(file, SaanConfig.REFERENCE_INPUT_SIZE);
    }

    /** @param inputSize input side for an imported PyTorch checkpoint (a DL4J file carries its own) */
    public static Opened open(Path file, int inputSize) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.isDirectory(file) ? "is a directory" : "no such file");
        }
        switch (kindOf(file)) {
            case PYTORCH: {
                WeightsImporter.ImportedSaan imported = WeightsImporter.importSaan(file, inputSize);
                return new Opened(imported.model(), imported.report());
            }
            case DL4J:
                return new Opened(SaanModel.load(file.toFile()), null);
            default:
                throw new CheckpointFormatException(file + ": neither a PyTorch checkpoint (torch.save) nor a DL4J model file");
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
