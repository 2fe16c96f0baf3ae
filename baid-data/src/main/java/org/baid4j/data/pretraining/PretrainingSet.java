package org.baid4j.data.pretraining;

import org.baid4j.data.baid.BaidDataException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pretraining set as the reference builds it: for each image its three operations, each a
 * sample (the first operation of every image, then the second, then the third: 181,011 samples
 * for BAID's 60,337 images); one CutMix partner per image, drawn from the list with the seed as
 * the reference draws it with {@code random.choice}.
 */
public final class PretrainingSet {
    private final List<PretrainingSample> samples;
    private final int images;

    private PretrainingSet(List<PretrainingSample> samples, int images) {
        this.samples = List.copyOf(samples);
        this.images = images;
    }

    /** The samples of {@code imageNames} with their operations from {@code operations}. */
    public static PretrainingSet of(List<String> imageNames, PretrainingOperations operations, long seed)
            throws BaidDataException {
        if (imageNames.isEmpty()) {
            throw new BaidDataException("no images to pretrain on");
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0xC07A11L);
        String[] partners = new String[imageNames.size()];
        Degradation[][] ops = new Degradation[imageNames.size()][];
        for (int i = 0; i < imageNames.size(); i++) {
            partners[i] = imageNames.get(random.nextInt(imageNames.size()));
            ops[i] = operations.of(imageNames.get(i));
        }
        List<PretrainingSample> samples = new ArrayList<>(3 * imageNames.size());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < imageNames.size(); i++) {
                samples.add(new PretrainingSample(imageNames.get(i), ops[i][k], partners[i], samples.size()));
            }
        }
        return new PretrainingSet(samples, imageNames.size());
    }

    public List<PretrainingSample> samples() {
        return samples;
    }

    public int size() {
        return samples.size();
    }

    public int images() {
        return images;
    }
}
