package org.baid4j.data.baid;

import java.util.Locale;

/** BAID's three splits and their label files. */
public enum BaidSplit {
    TRAIN("train_set.csv"), VAL("val_set.csv"), TEST("test_set.csv");

    private final String fileName;

    BaidSplit(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BaidSplit parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "train":
                return TRAIN;
            case "val":
            case "validation":
                return VAL;
            case "test":
                return TEST;
            default:
                throw new IllegalArgumentException("unknown split '" + text + "' (expected train, val or test)");
        }
    }
}
