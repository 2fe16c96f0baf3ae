package org.baid4j.core.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The evaluation of the reference and the reproduction study, with what an honest table needs
 * beside it. Scores on the 0-10 scale. SRCC is Spearman's rank correlation (average ranks for
 * ties), PLCC Pearson's; accuracy is the share of images on the same side of 5 ((true > 5) ==
 * (predicted > 5)); since 76.2% of BAID's test scores are at most 5, the majority-class baseline
 * and the balanced accuracy (mean recall of the two sides) stand beside it. Bootstrap intervals
 * resample images with replacement (percentile method, seeded).
 */
public final class AestheticsMetrics {
    public static final double THRESHOLD = 5.0;

    private AestheticsMetrics() {
    }

    /** Everything {@code baid evaluate} reports. */
    public record Summary(int n, double srcc, double plcc, double accuracy, double balancedAccuracy,
                          double majorityBaselineAccuracy, double mae, double rmse, double[] srccCi, double[] plccCi) {
    }

    public static Summary evaluate(double[] truth, double[] predicted, int bootstrapSamples, long seed) {
        check(truth, predicted);
        double[][] ci = bootstrap(truth, predicted, bootstrapSamples, seed);
        return new Summary(truth.length, srcc(truth, predicted), plcc(truth, predicted), accuracy(truth, predicted),
                balancedAccuracy(truth, predicted), majorityBaselineAccuracy(truth), mae(truth, predicted),
                rmse(truth, predicted), ci[0], ci[1]);
    }

    public static double srcc(double[] a, double[] b) {
        check(a, b);
        return pearson(Ranks.average(a), Ranks.average(b));
    }

    public static double plcc(double[] a, double[] b) {
        check(a, b);
        return pearson(a, b);
    }

    public static double accuracy(double[] truth, double[] predicted) {
        int same = 0;
        for (int i = 0; i < truth.length; i++) {
            if ((truth[i] > THRESHOLD) == (predicted[i] > THRESHOLD)) {
                same++;
            }
        }
        return (double) same / truth.length;
    }

    /** Mean recall of "above 5" and "at most 5", over the sides that occur in {@code truth}. */
    public static double balancedAccuracy(double[] truth, double[] predicted) {
        int[] total = new int[2];
        int[] right = new int[2];
        for (int i = 0; i < truth.length; i++) {
            int side = truth[i] > THRESHOLD ? 1 : 0;
            total[side]++;
            if ((predicted[i] > THRESHOLD ? 1 : 0) == side) {
                right[side]++;
            }
        }
        double sum = 0;
        int sides = 0;
        for (int s = 0; s < 2; s++) {
            if (total[s] > 0) {
                sum += (double) right[s] / total[s];
                sides++;
            }
        }
        return sum / sides;
    }

    /** The accuracy of always answering the more frequent side. */
    public static double majorityBaselineAccuracy(double[] truth) {
        long above = Arrays.stream(truth).filter(t -> t > THRESHOLD).count();
        return Math.max(above, truth.length - above) / (double) truth.length;
    }

    public static double mae(double[] truth, double[] predicted) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += Math.abs(truth[i] - predicted[i]);
        }
        return s / truth.length;
    }

    public static double rmse(double[] truth, double[] predicted) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            double d = truth[i] - predicted[i];
            s += d * d;
        }
        return Math.sqrt(s / truth.length);
    }

    /** 95% percentile intervals of SRCC and PLCC over {@code samples} resamples; NaNs if samples is 0. */
    static double[][] bootstrap(double[] truth, double[] predicted, int samples, long seed) {
        if (samples <= 0) {
            return new double[][]{{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
        }
        int n = truth.length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] s = new double[samples];
        double[] p = new double[samples];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int k = 0; k < samples; k++) {
            for (int i = 0; i < n; i++) {
                int j = random.nextInt(n);
                a[i] = truth[j];
                b[i] = predicted[j];
            }
            s[k] = pearson(Ranks.average(a), Ranks.average(b));
            p[k] = pearson(a, b);
        }
        return new double[][]{percentiles(s), percentiles(p)};
    }

    /** The 2.5th and 97.5th percentiles (linear interpolation, as numpy's default); NaN samples dropped. */
    private static double[] percentiles(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        return new double[]{quantile(v, 0.025), quantile(v, 0.975)};
    }

    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Pearson's r; NaN when either side is constant (as scipy). */
    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " true scores but " + b.length + " predictions");
        }
        if (a.length < 2) {
            throw new IllegalArgumentException("need at least 2 images to correlate, got " + a.length);
        }
    }
}
