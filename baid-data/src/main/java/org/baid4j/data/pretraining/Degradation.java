package org.baid4j.data.pretraining;

import java.util.Locale;

/**
 * The 30 operations of SAAN's self-supervised pretraining (the authors' {@code operations.py}), by
 * number: nine families of three strengths, then two rotations and none. The network learns which
 * one was applied; from the ranking epoch on, a stronger member of a family must lie farther from
 * the original in feature space.
 */
public enum Degradation {
    STYLIZATION_1(Family.STYLIZATION, 0.6), STYLIZATION_2(Family.STYLIZATION, 0.3), STYLIZATION_3(Family.STYLIZATION, 0.1),
    NOISE_1(Family.NOISE, 0.2), NOISE_2(Family.NOISE, 0.4), NOISE_3(Family.NOISE, 0.8),
    CROP_1(Family.CROP, 4), CROP_2(Family.CROP, 3), CROP_3(Family.CROP, 2),
    QUANTISATION_1(Family.QUANTISATION, 64), QUANTISATION_2(Family.QUANTISATION, 32), QUANTISATION_3(Family.QUANTISATION, 8),
    BLUR_1(Family.BLUR, 0.4), BLUR_2(Family.BLUR, 0.8), BLUR_3(Family.BLUR, 2),
    CONVEX_1(Family.CONVEX, 8), CONVEX_2(Family.CONVEX, 4), CONVEX_3(Family.CONVEX, 2),
    PENCIL_SKETCH_1(Family.PENCIL_SKETCH, 0.1), PENCIL_SKETCH_2(Family.PENCIL_SKETCH, 0.4), PENCIL_SKETCH_3(Family.PENCIL_SKETCH, 0.6),
    EXPOSURE_1(Family.EXPOSURE, 1.5), EXPOSURE_2(Family.EXPOSURE, 2.0), EXPOSURE_3(Family.EXPOSURE, 2.5),
    CUTMIX_1(Family.CUTMIX, 32), CUTMIX_2(Family.CUTMIX, 64), CUTMIX_3(Family.CUTMIX, 128),
    ROTATION_LEFT(Family.ROTATION, 45), ROTATION_RIGHT(Family.ROTATION, -45),
    NONE(Family.NONE, 0);

    public static final int COUNT = 30;
    /** Operations 0..26 come in families of three strengths and take part in the ranking loss. */
    public static final int LAST_RANKED = 26;

    /** What an operation does; the parameter's meaning is the family's. */
    public enum Family {
        STYLIZATION("cv.stylization, sigma_s 50, sigma_r %s", false),
        NOISE("Gaussian noise, sigma %s", true),
        CROP("crop 1/%s off the bottom and right, resize back", false),
        QUANTISATION("k-means colour quantisation, K = %s", true),
        BLUR("Gaussian blur 5x5, sigma %s", false),
        CONVEX("convex lens, radius = diagonal / %s", false),
        PENCIL_SKETCH("cv.pencilSketch (colour), sigma_s 100, sigma_r %s", false),
        EXPOSURE("exposure x %s", false),
        CUTMIX("CutMix, a %s px square from another image", true),
        ROTATION("rotation by %s degrees, scale 0.8, white border", false),
        NONE("none", false);

        private final String pattern;
        private final boolean random;

        Family(String pattern, boolean random) {
            this.pattern = pattern;
            this.random = random;
        }

        /** Whether the same image can give different pixels (noise, k-means' start, CutMix's place). */
        public boolean random() {
            return random;
        }
    }

    private final Family family;
    private final double parameter;

    Degradation(Family family, double parameter) {
        this.family = family;
        this.parameter = parameter;
    }

    /** The operation numbered {@code op} (0-29); any other number is an error naming the range. */
    public static Degradation of(int op) {
        if (op < 0 || op >= COUNT) {
            throw new IllegalArgumentException("operation " + op + " is not one of 0-29");
        }
        return values()[op];
    }

    public int number() {
        return ordinal();
    }

    public Family family() {
        return family;
    }

    public double parameter() {
        return parameter;
    }

    /** Whether the ranking loss orders this operation against its family (ops 0-26). */
    public boolean ranked() {
        return number() <= LAST_RANKED;
    }

    /** 0, 1 or 2 within a family of three (ranked operations only). */
    public int strength() {
        return number() % 3;
    }

    /**
     * The two triplet partners the reference renders with this operation, in its order: strength
     * 0 takes (+1, +2), 1 takes (-1, +1), 2 takes (-2, -1); ops 27-29 take themselves twice.
     */
    public Degradation[] partners() {
        if (!ranked()) {
            return new Degradation[]{this, this};
        }
        int op = number();
        return switch (strength()) {
            case 0 -> new Degradation[]{of(op + 1), of(op + 2)};
            case 1 -> new Degradation[]{of(op - 1), of(op + 1)};
            default -> new Degradation[]{of(op - 2), of(op - 1)};
        };
    }

    /** A short description with the parameter, for contact sheets and tables. */
    public String describe() {
        String p = parameter == Math.rint(parameter) ? String.valueOf((long) parameter) : String.valueOf(parameter);
        return String.format(Locale.ROOT, family.pattern, p);
    }

    /** The label of a contact sheet's cell: "07 crop 1/3". */
    public String label() {
        String name = switch (family) {
            case STYLIZATION -> "stylize " + trim(parameter);
            case NOISE -> "noise " + trim(parameter);
            case CROP -> "crop 1/" + trim(parameter);
            case QUANTISATION -> "k-means " + trim(parameter);
            case BLUR -> "blur " + trim(parameter);
            case CONVEX -> "convex 1/" + trim(parameter);
            case PENCIL_SKETCH -> "sketch " + trim(parameter);
            case EXPOSURE -> "exposure x" + trim(parameter);
            case CUTMIX -> "cutmix " + trim(parameter);
            case ROTATION -> "rotate " + trim(parameter);
            case NONE -> "none";
        };
        return String.format(Locale.ROOT, "%02d %s", number(), name);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
