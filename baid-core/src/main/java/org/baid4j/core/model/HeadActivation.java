package org.baid4j.core.model;

import org.nd4j.linalg.activations.Activation;

/** Activation between the head's two linear layers. */
public enum HeadActivation {
    /** The reference's choice. */
    RELU(Activation.RELU),
    /** The reproduction study's tuned choice; slope 0.01 as PyTorch's default. */
    LEAKY_RELU(Activation.LEAKYRELU);

    private final Activation dl4j;

    HeadActivation(Activation dl4j) {
        this.dl4j = dl4j;
    }

    public Activation dl4j() {
        return dl4j;
    }

    /** The name users type and files record: relu, leaky-relu. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static HeadActivation parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
        switch (t) {
            case "relu":
                return RELU;
            case "leakyrelu":
            case "lrelu":
                return LEAKY_RELU;
            default:
                throw new IllegalArgumentException("unknown head activation '" + text + "' (expected relu or leaky-relu)");
        }
    }
}
