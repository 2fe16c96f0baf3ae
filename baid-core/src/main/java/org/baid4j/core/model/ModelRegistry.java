package org.baid4j.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model types baid4j can load from a file, by the name their cards carry. A new architecture
 * is one class declaring its {@link ModelType}, and one line here.
 */
public final class ModelRegistry {
    private static final Map<String, ModelType> TYPES = new LinkedHashMap<>();

    static {
        register(SaanModel.TYPE);
        register(GabPretrainingNetwork.TYPE);
    }

    private ModelRegistry() {
    }

    static synchronized void register(ModelType type) {
        TYPES.put(type.name(), type);
    }

    public static synchronized List<ModelType> types() {
        return List.copyOf(TYPES.values());
    }

    /** The type named {@code name}; an unknown name is an error listing the known ones. */
    public static synchronized ModelType type(String name) {
        ModelType t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown model type '" + name + "' (known: " + String.join(", ", TYPES.keySet()) + ")");
        }
        return t;
    }
}
