package org.baid4j.cli;

import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.pipeline.DecodedCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code baid cache}: the decoded, resized images of BAID's splits, packed once for fast epochs. */
@Command(name = "cache", header = "Build or check the decoded image cache of BAID splits.", mixinStandardHelpOptions = true,
        description = {"Build (or check) the decoded image cache of BAID splits: ROOT/cache/SPLIT-SIZE.bin.",
                "An up-to-date cache is kept; a stale, truncated or interrupted one is rebuilt.",
                "--verify checks every entry against its stored checksums instead (exit code 1 when one fails)."})
public final class CacheCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root.")
    Path root;

    @Option(names = "--split", defaultValue = "train,val,test", split = ",",
            description = "Splits to cache (default ${DEFAULT-VALUE}).")
    List<String> splits;

    @Option(names = "--size", defaultValue = "224", description = "Image side (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--subset", paramLabel = "FRACTION|COUNT", description = "Only a stratified subset of each split.")
    String subset;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of --subset (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--skip-missing", description = "Leave out missing or broken images instead of refusing.")
    boolean skipMissing;

    @Option(names = "--threads", description = "Decoding threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--verify", description = "Check the caches against the images and their stored checksums; build nothing.")
    boolean verify;

    @Override
    public Integer call() throws Exception {
        org.baid4j.core.model.SaanConfig.reference().withInputSize(size);
        BaidRoot baid = BaidRoot.open(root);
        SubsetSpec spec = subset == null ? SubsetSpec.ALL : SubsetSpec.parse(subset);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int failed = 0;
        for (String s : splits) {
            BaidSplit split = BaidSplit.parse(s);
            BaidRoot.ValidatedSplit checked = baid.validate(split, spec, seed, skipMissing);
            if (!checked.leftOut().isEmpty()) {
                System.err.printf("%s: %d missing or broken images left out (--skip-missing)%n", split.label(),
                        checked.leftOut().size());
            }
            List<String> names = checked.usable().stream().map(BaidLabel::image).toList();
            Path file = baid.cacheFile(split, size);
            if (verify) {
                failed += verify(baid, split, file, names);
                continue;
            }
            try (Progress progress = Progress.start("caching " + split.label(), names.size());
                 DecodedCache cache = DecodedCache.openOrBuild(file, baid.imagesDir(), names, size, n, progress::step)) {
                System.out.printf("%s: %d images cached in %s at %dx%d (fresh by size and time; --verify reads every"
                        + " entry's checksums)%n", split.label(), names.size(), file, size, size);
            }
        }
        return failed > 0 ? Baid.SOME_INPUTS_FAILED : 0;
    }

    private int verify(BaidRoot baid, BaidSplit split, Path file, List<String> names) throws IOException {
        List<DecodedCache.Damaged> damaged;
        try (DecodedCache cache = DecodedCache.open(file, baid.imagesDir(), names, size);
             Progress progress = Progress.start("verifying " + split.label(), cache.entryCount())) {
            damaged = cache.verify(baid.imagesDir(), progress::step);
        } catch (DecodedCache.UnusableCacheException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        damaged.forEach(d -> d.problems().forEach(p -> System.err.println("error: " + p)));
        System.out.printf("%s: %s, %d of %d entries verified%n", split.label(), file, names.size() - damaged.size(),
                names.size());
        return damaged.size();
    }
}
