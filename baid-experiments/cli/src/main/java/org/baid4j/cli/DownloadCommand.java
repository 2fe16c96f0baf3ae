package org.baid4j.cli;

import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidLabels;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.baid.SubsetSpec;
import org.baid4j.data.baid.Subsets;
import org.baid4j.data.download.BaidDownloader;
import org.baid4j.data.download.DownloadOptions;
import org.baid4j.data.download.DownloadSummary;
import org.baid4j.data.download.Proxies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code baid download}: BAID's images into ROOT/images, resumable, with a report of what failed. */
@Command(name = "download", header = "Download BAID's images into ROOT/images (run again to finish).", mixinStandardHelpOptions = true,
        description = {"Download BAID's images into ROOT/images (resumable: run it again to finish).",
                "Failures are listed in ROOT/failed.csv with their reasons; the exit code is then 1."})
public final class DownloadCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, paramLabel = "DIR", description = "The BAID root (created if needed).")
    Path root;

    @Option(names = "--list", paramLabel = "CSV", description = "image_link,image_name list (default: BAID's, vendored).")
    Path list;

    @Option(names = "--threads", defaultValue = "16", description = "Parallel downloads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--retries", defaultValue = "5", description = "Retries per image (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Connect timeout and longest stall (default ${DEFAULT-VALUE} s).")
    int timeout;

    @Option(names = "--max-bytes", paramLabel = "N", description = "The largest image accepted, in bytes; a larger one"
            + " fails as too large (default ${DEFAULT-VALUE}).")
    long maxBytes = DownloadOptions.DEFAULT_MAX_BYTES;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "HTTP(S) proxy (default: from HTTPS_PROXY / HTTP_PROXY / NO_PROXY).")
    String proxy;

    @Option(names = "--subset", paramLabel = "FRACTION|COUNT",
            description = "Only the stratified subsets of train, val and test that training with the same --subset and --seed uses.")
    String subset;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of --subset (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        DownloadOptions options = DownloadOptions.defaults().withThreads(threads).withRetries(retries)
                .withTimeout(Duration.ofSeconds(timeout)).withMaxBytes(maxBytes).withProxy(proxy == null ? null : Proxies.parse(proxy));
        List<BaidLabels.ImageLink> links = list == null ? BaidLabels.vendoredImageList() : BaidLabels.readImageList(list);
        BaidRoot baid = BaidRoot.create(root);
        if (subset != null) {
            SubsetSpec spec = SubsetSpec.parse(subset);
            Set<String> wanted = new HashSet<>();
            for (BaidSplit split : BaidSplit.values()) {
                for (BaidLabel l : Subsets.stratified(baid.labels(split), spec, seed)) {
                    wanted.add(l.image());
                }
            }
            links = links.stream().filter(l -> wanted.contains(l.image())).toList();
        }
        DownloadSummary summary;
        Progress[] progress = new Progress[1];
        try {
            summary = new BaidDownloader(options, new BaidDownloader.Listener() {
                @Override
                public void started(int total, int alreadyPresent) {
                    progress[0] = Progress.start("downloading", total, alreadyPresent);
                }

                @Override
                public void finished(String image, boolean ok) {
                    progress[0].step();
                }
            }).download(links, baid.imagesDir());
        } finally {
            if (progress[0] != null) {
                progress[0].close();
            }
        }
        Path failedCsv = root.resolve("failed.csv");
        summary.writeFailedCsv(failedCsv);
        System.out.println(summary.line());
        if (!summary.failed().isEmpty()) {
            System.out.println("failed images and reasons: " + failedCsv + " (run the same command again to retry them)");
            return Baid.SOME_INPUTS_FAILED;
        }
        return 0;
    }
}
