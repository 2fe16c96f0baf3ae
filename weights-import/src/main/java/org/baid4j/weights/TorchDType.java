package org.baid4j.weights;

import java.util.Map;

/** The element types of torch storages this reader decodes, by their pickled storage class name. */
public enum TorchDType {
    FLOAT32("FloatStorage", 4),
    FLOAT64("DoubleStorage", 8),
    FLOAT16("HalfStorage", 2),
    BFLOAT16("BFloat16Storage", 2),
    INT64("LongStorage", 8),
    INT32("IntStorage", 4),
    INT16("ShortStorage", 2),
    INT8("CharStorage", 1),
    UINT8("ByteStorage", 1),
    BOOL("BoolStorage", 1);

    private static final Map<String, TorchDType> BY_STORAGE = Map.ofEntries(
            java.util.Arrays.stream(values()).map(t -> Map.entry(t.storageClass, t)).toArray(Map.Entry[]::new));

    private final String storageClass;
    private final int bytes;

    TorchDType(String storageClass, int bytes) {
        this.storageClass = storageClass;
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** The type of a pickled {@code torch.XStorage} class, or null if unknown. */
    static TorchDType ofStorageClass(String name) {
        return BY_STORAGE.get(name);
    }
}
