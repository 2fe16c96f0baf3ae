package org.baid4j.core.model;

import java.util.Map;

/**
 * What a model file says of itself, in its {@value ModelFiles#CARD_ENTRY} entry: the model type
 * (a {@link ModelRegistry} name), its configuration as that type writes it, and its preprocessing.
 *
 * @param type          the registered model type, e.g. "saan"
 * @param config        the type's own configuration, as JSON-ready values
 * @param preprocessing what an image goes through before the network
 */
public record ModelCard(String type, Map<String, Object> config, Preprocessing preprocessing) {
    /**
     * The model-file format, raised when the card's layout or the configuration's meaning changes;
     * readers refuse other formats by name. 2: the configuration is the model as declared, free of
     * execution plans (1 held the CPU plan's layers and layouts).
     */
    public static final int FORMAT = 2;

    public ModelCard {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a model card needs a type");
        }
        config = Map.copyOf(config);
    }
}
