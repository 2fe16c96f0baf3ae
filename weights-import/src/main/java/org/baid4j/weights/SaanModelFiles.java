package org.baid4j.weights;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a SAAN model from either kind of file a user has (see {@link ModelOpener}): a PyTorch
 * checkpoint, imported at the given input size, or a baid4j model file; a file of another model
 * type is an error naming it.
 */
public final class SaanModelFiles {
    private SaanModelFiles() {
    }

    /** A model and, for a PyTorch file, the report of its import (null for baid4j files). */
    public record Opened(SaanModel model, ImportReport report) {
    }

    public static Opened open(Path file) throws IOException {
        return open(file, SaanConfig.REFERENCE_INPUT_SIZE);
    }

    /** @param inputSize input side for an imported PyTorch checkpoint (a baid4j file carries its own) */
    public static Opened open(Path file, int inputSize) throws IOException {
        ModelOpener.Opened opened = ModelOpener.open(SaanModel.TYPE.name(), file, inputSize);
        return new Opened((SaanModel) opened.model(), opened.report());
    }
}
