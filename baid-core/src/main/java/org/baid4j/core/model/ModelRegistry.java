package org.baid4j.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model types baid4j knows, by the name their cards carry: to load a file without being told
 * what it holds, and to make a network by name ({@link #create}). A new architecture is one class
 * declaring its {@link ModelType}, and one line here.
 */
public final class ModelRegistry {
    private static final Map<String, ModelType<?>> TYPES = new LinkedHashMap<>();

    static {
        register(SaanModel.TYPE);
        register(GabPretrainingNetwork.TYPE);
    }

    private ModelRegistry() {
    }

    static synchronized void register(ModelType<?> type) {
        TYPES.put(type.name(), type);
    }

    public static synchronized List<ModelType<?>> types() {
        return List.copyOf(TYPES.values());
    }

    /** The type named {@code name}; an unknown name is an error listing the known ones. */
    public static synchronized ModelType<?> type(String name) {
        ModelType<?> t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown model type '" + name + "' (known: " + String.join(", ", TYPES.keySet()) + ")");
        }
        return t;
    }

    /** A new network of type {@code name} with the reference's configuration: {@code create("saan")}. */
    public static TrainableNetwork create(String name) {
        return type(name).create();
    }

    /**
     * A new network of type {@code name}: {@code config} is the type's configuration record, or a map
     * of the settings to change from the reference's ({@code create("saan", Map.of("inputSize", 64))}).
     */
    public static TrainableNetwork create(String name, Object config) {
        return type(name).create(config);
    }
}
