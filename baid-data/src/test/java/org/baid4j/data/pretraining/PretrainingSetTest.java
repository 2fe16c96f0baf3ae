package org.baid4j.data.pretraining;

import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidLabels;
import org.baid4j.data.baid.BaidSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The pretraining set as the reference builds it, and its rendering's determinism. */
class PretrainingSetTest {

    @Test
    void baidsOperationsListEveryImageWithThreeDistinctOperations() {
        PretrainingOperations baid = PretrainingOperations.baid();
        assertEquals(60_337, baid.images().size());
        List<String> train = BaidLabels.vendored(BaidSplit.TRAIN).stream().map(BaidLabel::image).toList();
        List<String> test = BaidLabels.vendored(BaidSplit.TEST).stream().map(BaidLabel::image).toList();
        assertTrue(baid.covers(train) && baid.covers(test), "the test images are pretrained on too");
        assertEquals(50_737, train.size());
    }

    @Test
    void samplesComeInTheReferencesOrderWithTheirPartners() throws Exception {
        List<String> images = List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg");
        PretrainingOperations drawn = PretrainingOperations.drawn(images, 5);
        for (String image : images) {
            Degradation[] ops = drawn.of(image);
            assertEquals(3, Set.of(ops).size(), "three distinct operations");
        }
        assertArrayEquals(drawn.of("c.jpg"), PretrainingOperations.drawn(images, 5).of("c.jpg"), "seeded");
        PretrainingSet set = PretrainingSet.of(images, drawn, 5);
        assertEquals(12, set.size());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 4; i++) {
                PretrainingSample s = set.samples().get(4 * k + i);
                assertEquals(images.get(i), s.image(), "every image's first operation, then its second, then its third");
                assertEquals(drawn.of(images.get(i))[k], s.op());
                assertEquals(4 * k + i, s.index());
            }
        }
        Set<String> partners = new HashSet<>();
        set.samples().forEach(s -> partners.add(s.image() + ">" + s.cutMixPartner()));
        assertEquals(4, partners.size(), "one CutMix partner per image, for all its samples");
        assertArrayEquals(new Degradation[]{Degradation.NOISE_2, Degradation.NOISE_3}, Degradation.NOISE_1.partners());
        assertArrayEquals(new Degradation[]{Degradation.NOISE_1, Degradation.NOISE_3}, Degradation.NOISE_2.partners());
        assertArrayEquals(new Degradation[]{Degradation.NOISE_1, Degradation.NOISE_2}, Degradation.NOISE_3.partners());
        assertArrayEquals(new Degradation[]{Degradation.ROTATION_LEFT, Degradation.ROTATION_LEFT},
                Degradation.ROTATION_LEFT.partners());
    }

    @Test
    void aSampleRendersTheSamePixelsEveryTimeAndItsIndexSeedsIt(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("root"));
        PretrainingRenderer renderer = new PretrainingRenderer(root.resolve("images"), 64, true, 9);
        PretrainingSample noisy = new PretrainingSample("1.png", Degradation.NOISE_2, "2.png", 7);
        PretrainingRenderer.Rendered a = renderer.render(noisy, true);
        PretrainingRenderer.Rendered b = renderer.render(noisy, true);
        assertArrayEquals(a.degraded().bgr(), b.degraded().bgr());
        assertArrayEquals(a.partner2().bgr(), b.partner2().bgr());
        PretrainingRenderer.Rendered other = renderer.render(new PretrainingSample("1.png", Degradation.NOISE_2, "2.png", 8), true);
        assertFalse(java.util.Arrays.equals(a.degraded().bgr(), other.degraded().bgr()), "another sample, other noise");
        PretrainingRenderer.Rendered raw = new PretrainingRenderer(root.resolve("images"), 64, false, 9).render(noisy, true);
        assertFalse(java.util.Arrays.equals(a.original().bgr(), raw.original().bgr()), "the JPEG round trip changes pixels");
        assertNull(renderer.render(noisy, false).original(), "before the ranking epoch only the degraded image");
        PretrainingRenderer.Rendered none = renderer.render(new PretrainingSample("1.png", Degradation.NONE, "2.png", 1), true);
        assertArrayEquals(none.degraded().bgr(), none.partner1().bgr(), "ops 27-29 take the degraded image as both partners");
    }
}
