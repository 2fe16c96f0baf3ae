package org.baid4j.training.saan;

import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.DecodedCache;
import org.baid4j.data.pipeline.FileImages;
import org.baid4j.data.pipeline.ResizedImages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The train and val splits of a run, validated (every image present and readable, or left out with
 * --skip-missing), and where their images come from: the files, or the decoded cache.
 */
public final class BaidSplits implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BaidSplits.class);

    private final List<BaidLabel> train;
    private final List<BaidLabel> val;
    private final ResizedImages trainImages;
    private final ResizedImages valImages;
    private final List<Closeable> resources;

    private BaidSplits(List<BaidLabel> train, List<BaidLabel> val, ResizedImages trainImages, ResizedImages valImages,
                       List<Closeable> resources) {
        this.train = train;
        this.val = val;
        this.trainImages = trainImages;
        this.valImages = valImages;
        this.resources = resources;
    }

    public static BaidSplits open(TrainingConfig config) throws IOException {
        TrainingConfig.Data d = config.data();
        BaidRoot root = BaidRoot.open(Path.of(d.root()));
        SubsetSpec subset = SubsetSpec.parse(d.subset());
        long seed = config.run().seed();
        BaidRoot.ValidatedSplit train = root.validate(BaidSplit.TRAIN, subset, seed, d.skipMissing());
        BaidRoot.ValidatedSplit val = root.validate(BaidSplit.VAL, subset, seed, d.skipMissing());
        for (BaidRoot.ValidatedSplit s : List.of(train, val)) {
            if (!s.leftOut().isEmpty()) {
                LOG.warn("{}: {} missing or broken images left out (--skip-missing)", s.split().label(), s.leftOut().size());
            }
            if (s.usable().size() < 2) {
                throw new IllegalArgumentException(root.path() + ": the " + s.split().label()
                        + " split has fewer than 2 usable images");
            }
        }
        int size = config.saanConfig().inputSize();
        if (!d.cache()) {
            FileImages files = new FileImages(root.imagesDir(), size);
            return new BaidSplits(train.usable(), val.usable(), files, files, List.of());
        }
        List<Closeable> resources = new ArrayList<>();
        DecodedCache trainCache = cache(root, BaidSplit.TRAIN, train.usable(), size, d.threads());
        resources.add(trainCache);
        DecodedCache valCache = cache(root, BaidSplit.VAL, val.usable(), size, d.threads());
        resources.add(valCache);
        return new BaidSplits(train.usable(), val.usable(), trainCache, valCache, resources);
    }

    private static DecodedCache cache(BaidRoot root, BaidSplit split, List<BaidLabel> labels, int size, int threads)
            throws IOException {
        return DecodedCache.openOrBuild(root.cacheFile(split, size), root.imagesDir(),
                labels.stream().map(BaidLabel::image).toList(), size, threads, () -> { });
    }

    public List<BaidLabel> train() {
        return train;
    }

    public List<BaidLabel> val() {
        return val;
    }

    public ResizedImages trainImages() {
        return trainImages;
    }

    public ResizedImages valImages() {
        return valImages;
    }

    @Override
    public void close() throws IOException {
        for (Closeable c : resources) {
            c.close();
        }
    }
}
