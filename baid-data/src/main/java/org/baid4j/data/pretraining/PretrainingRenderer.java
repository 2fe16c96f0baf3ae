package org.baid4j.data.pretraining;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.pipeline.BatchEngine;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Renders pretraining samples into a batch, as the reference's {@code pretrain_mani.py} renders its
 * set: the original and the CutMix partner read and resized with OpenCV, the degraded image and
 * its two triplet partners rendered from the original, each image (the original too) through the
 * JPEG round trip unless it is turned off, then normalised. Arrays of a batch: 0 the original, 1
 * the degraded image, 2 and 3 the partners ([3, S, S] each), 4 the operation's number ([1]).
 * Before the ranking epoch only the degraded image is rendered (the others stay zero: the step
 * does not read them).
 *
 * <p>A sample's random operations (noise, k-means' start, CutMix's place) draw from a generator
 * seeded by the set's seed and the sample's index, not the epoch: like the reference's set, rendered
 * once, each sample's pixels are the same every epoch.
 */
public final class PretrainingRenderer implements BatchEngine.SampleWriter<PretrainingRenderer.Request> {
    public static final int ORIGINAL = 0;
    public static final int DEGRADED = 1;
    public static final int PARTNER_1 = 2;
    public static final int PARTNER_2 = 3;
    public static final int OPERATION = 4;

    /** A sample to render, and whether its original and partners are needed (the ranking loss's epochs). */
    public record Request(PretrainingSample sample, boolean withRanking) {
    }

    private final Path imagesDir;
    private final int side;
    private final boolean jpegRoundTrip;
    private final long seed;

    public PretrainingRenderer(Path imagesDir, int side, boolean jpegRoundTrip, long seed) {
        this.imagesDir = imagesDir;
        this.side = side;
        this.jpegRoundTrip = jpegRoundTrip;
        this.seed = seed;
    }

    public int side() {
        return side;
    }

    /** The shapes of one sample's arrays, in the order above. */
    public java.util.List<long[]> sampleShapes() {
        long[] image = {3, side, side};
        return java.util.List.of(image, image, image, image, new long[]{1});
    }

    @Override
    public void write(Request request, BatchEngine.Slot slot) throws ImageDecodeException {
        PretrainingSample s = request.sample();
        Rendered r = render(s, request.withRanking());
        if (request.withRanking()) {
            PretrainingImages.writeNormalised(r.original(), slot.buffer(ORIGINAL), slot.offset(ORIGINAL));
            PretrainingImages.writeNormalised(r.partner1(), slot.buffer(PARTNER_1), slot.offset(PARTNER_1));
            PretrainingImages.writeNormalised(r.partner2(), slot.buffer(PARTNER_2), slot.offset(PARTNER_2));
        }
        PretrainingImages.writeNormalised(r.degraded(), slot.buffer(DEGRADED), slot.offset(DEGRADED));
        slot.buffer(OPERATION).put(slot.offset(OPERATION), s.op().number());
    }

    /** The four images of a sample as the network sees them (BGR, before normalisation). */
    public record Rendered(BgrImage original, BgrImage degraded, BgrImage partner1, BgrImage partner2) {
    }

    /** Renders {@code s}; without {@code withPartners} only the degraded image (the others null). */
    public Rendered render(PretrainingSample s, boolean withPartners) throws ImageDecodeException {
        BgrImage original = PretrainingImages.read(imagesDir.resolve(s.image()), side);
        // A CutMix family's partners are CutMix too: only it reads the other image.
        BgrImage partner = s.op().family() == Degradation.Family.CUTMIX
                ? PretrainingImages.read(imagesDir.resolve(s.cutMixPartner()), side) : null;
        SplittableRandom random = new SplittableRandom(mix(seed, s.index()));
        BgrImage degraded = finish(Degradations.apply(s.op(), original, partner, random));
        if (!withPartners) {
            return new Rendered(null, degraded, null, null);
        }
        Degradation[] partners = s.op().partners();
        BgrImage p1 = s.op().ranked() ? finish(Degradations.apply(partners[0], original, partner, random)) : degraded;
        BgrImage p2 = s.op().ranked() ? finish(Degradations.apply(partners[1], original, partner, random)) : degraded;
        return new Rendered(finish(original), degraded, p1, p2);
    }

    private BgrImage finish(BgrImage image) {
        return jpegRoundTrip ? PretrainingImages.jpegRoundTrip(image) : image;
    }

    /** A seed for sample {@code index} of a set seeded {@code seed} (SplittableRandom's mixing). */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
