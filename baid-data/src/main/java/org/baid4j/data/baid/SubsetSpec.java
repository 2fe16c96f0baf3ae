package org.baid4j.data.baid;

/**
 * How much of a split to use: a fraction ({@code 0.1}) or a number of images ({@code 5000}).
 * Text with a decimal point or below 1 is a fraction; a whole number of at least 1 is a count.
 */
public record SubsetSpec(double fraction, int count) {
    public static final SubsetSpec ALL = new SubsetSpec(1.0, 0);

    public SubsetSpec {
        if (count == 0 && !(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("subset fraction must be in (0, 1], got " + fraction);
        }
        if (count < 0) {
            throw new IllegalArgumentException("subset count must be positive, got " + count);
        }
    }

    public static SubsetSpec parse(String text) {
        String t = text.trim();
        try {
            if (t.matches("\\d+")) {
                long n = Long.parseLong(t);
                if (n >= 1) {
                    return new SubsetSpec(0, (int) Math.min(n, Integer.MAX_VALUE));
                }
            }
            return new SubsetSpec(Double.parseDouble(t), 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("subset '" + text + "' is neither a fraction (0.1) nor a count (5000)");
        }
    }

    public boolean isAll() {
        return count == 0 && fraction == 1.0;
    }

    /** How many of {@code size} images this subset takes. */
    public int sizeOf(int size) {
        if (count > 0) {
            return Math.min(count, size);
        }
        return (int) Math.round(fraction * size);
    }

    @Override
    public String toString() {
        return count > 0 ? Integer.toString(count) : Double.toString(fraction);
    }
}
