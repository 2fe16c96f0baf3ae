package org.baid4j.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The full SAAN and the two ablations of the reproduction study; files and options name them by {@link #label}. */
public enum SaanVariant {
    /** GAB and SAB fused: non-local block on 1536 channels. */
    FULL(1536),
    /** SAB alone: non-local block on 512 channels. */
    WITHOUT_GAB(512),
    /** GAB alone: non-local block on 1024 channels. */
    WITHOUT_SAB(1024);

    private final int fusedChannels;

    SaanVariant(int fusedChannels) {
        this.fusedChannels = fusedChannels;
    }

    /** Channels entering the non-local block and the head. */
    public int fusedChannels() {
        return fusedChannels;
    }

    /** The variant that has the given branches; {@code what} names the thing inspected, for the error. */
    public static SaanVariant withBranches(boolean generic, boolean style, String what) {
        if (generic && style) {
            return FULL;
        }
        if (style) {
            return WITHOUT_GAB;
        }
        if (generic) {
            return WITHOUT_SAB;
        }
        throw new IllegalArgumentException(what + " has neither GAB nor SAB: not a SAAN network");
    }

    /** Parses "full", "without-gab", "no_sab", ... as users type them. */
    @JsonCreator
    public static SaanVariant parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (t) {
            case "full":
            case "saan":
                return FULL;
            case "without-gab":
            case "no-gab":
            case "wo-gab":
                return WITHOUT_GAB;
            case "without-sab":
            case "no-sab":
            case "wo-sab":
                return WITHOUT_SAB;
            default:
                throw new IllegalArgumentException("unknown SAAN variant '" + text
                        + "' (expected full, without-gab or without-sab)");
        }
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
