package org.baid4j.cli;

import org.baid4j.weights.TorchvisionWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code baid fetch-weights}: torchvision's ImageNet backbones, verified and cached, for --vgg auto / --resnet auto. */
@Command(name = "fetch-weights", header = "Download torchvision's ImageNet backbones (VGG-19, ResNet-50), checked and cached.", mixinStandardHelpOptions = true,
        description = {"Download torchvision's ImageNet state_dicts (vgg19-dcbb9e9d.pth, resnet50-0676ba61.pth) into the",
                "cache ($XDG_CACHE_HOME/baid4j or ~/.cache/baid4j), checked against the SHA-256 prefix in each name,",
                "resuming a stopped download. train, search, ablation and import-weights take them as --vgg auto / --resnet auto."})
public final class FetchWeightsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "vgg19|resnet50", description = "The backbones to fetch.")
    List<String> backbones;

    @Option(names = "--to", paramLabel = "DIR", description = "Put them here instead of the cache.")
    Path to;

    @Option(names = "--mirror", paramLabel = "URL", description = "Fetch from this address, which holds the same file"
            + " names (default: " + "https://download.pytorch.org/models/" + ").")
    URI mirror;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up on a mirror silent this long, before"
            + " answering or between bytes (default ${DEFAULT-VALUE}).", defaultValue = "30")
    int timeout;

    @Override
    public Integer call() throws Exception {
        List<TorchvisionWeights.Backbone> wanted = backbones.stream().map(TorchvisionWeights.Backbone::parse).toList();
        Path dir = to != null ? to : TorchvisionWeights.cacheDir(System.getenv());
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--to " + dir + ": a file, not a folder to fetch into");
        }
        TorchvisionWeights source = new TorchvisionWeights(mirror != null ? mirror : TorchvisionWeights.PUBLISHED,
                java.time.Duration.ofSeconds(timeout));
        for (TorchvisionWeights.Backbone b : wanted) {
            System.err.println("fetching " + b.fileName() + " into " + dir);
            long[] lastMb = {0};
            Path file = source.fetch(b.fileName(), dir, bytes -> {
                if (bytes >> 26 > lastMb[0]) {   // a line every 64 MB
                    lastMb[0] = bytes >> 26;
                    System.err.printf("  %d MB%n", bytes >> 20);
                }
            }, System.err::println);
            System.out.println(file);
        }
        return 0;
    }
}
