package org.baid4j.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Activation between the head's two linear layers, with PyTorch's defaults. */
public enum HeadActivation {
    /** The reference's choice. */
    RELU(ActivationReLU::new),
    /** The reproduction study's tuned choice; slope 0.01 as PyTorch's default. */
    LEAKY_RELU(ActivationLReLU::new),
    /** alpha 1, as PyTorch's. */
    ELU(ActivationELU::new),
    /**
     * DL4J M2.1's "precise" GELU, 0.5 x (1 + tanh(sqrt(2/pi) (x + (0.044715 x)^3))): PyTorch's
     * {@code GELU(approximate='tanh')} takes 0.044715 x^3 where M2.1 cubes 0.044715 x (a defect,
     * Dl4jDefectsTest), within 0.04 of it. Kept so that trained GELU models score as they did.
     */
    GELU(() -> new ActivationGELU(true));

    private final Supplier<IActivation> function;

    HeadActivation(Supplier<IActivation> function) {
        this.function = function;
    }

    /** A new instance of the DL4J activation. */
    public IActivation function() {
        return function.get();
    }

    /** The name users type and files record: relu, leaky-relu, elu, gelu. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static HeadActivation parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (HeadActivation a : values()) {
            if (a.label().replace("-", "").equals(t)) {
                return a;
            }
        }
        if (t.equals("lrelu")) {
            return LEAKY_RELU;
        }
        throw new IllegalArgumentException("unknown head activation '" + text + "' (expected "
                + Arrays.stream(values()).map(HeadActivation::label).collect(Collectors.joining(", ")) + ")");
    }
}
