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
    /** DL4J's tanh approximation, PyTorch's {@code GELU(approximate='tanh')} (its default is the exact erf form). */
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
