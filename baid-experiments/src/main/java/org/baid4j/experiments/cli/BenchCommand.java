package org.baid4j.experiments.cli;

import org.baid4j.experiments.bench.BenchImages;
import org.baid4j.experiments.bench.DataPipelineBench;
import org.baid4j.experiments.bench.ModelBench;
import org.baid4j.experiments.bench.PyTorchReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code baid bench}: throughput of the full SAAN and of the training input pipeline. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure SAAN inference and training throughput (images/s, median after warm-up),",
                "peak memory, and the input pipeline's decoded, resized, normalised batches per second per core",
                "from JPEG files and from the decoded cache. --pytorch runs the same measurements in PyTorch."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "224", description = "Input side (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "8", description = "Model batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per figure (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--skip-model", description = "Leave out the model figures.")
    boolean skipModel;

    @Option(names = "--skip-data", description = "Leave out the input pipeline figures.")
    boolean skipData;

    @Option(names = "--images", paramLabel = "DIR",
            description = "JPEG files for the pipeline figures (default: 64 generated at BAID's typical size).")
    Path images;

    @Option(names = "--data-batch", defaultValue = "32", description = "Pipeline batch size (default ${DEFAULT-VALUE}).")
    int dataBatch;

    @Option(names = "--threads", defaultValue = "1",
            description = "Decoding threads, and PyTorch DataLoader workers (default ${DEFAULT-VALUE}: the per-core figure).")
    int threads;

    @Option(names = "--epochs", defaultValue = "3", description = "Timed passes over the images (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--pytorch", description = "Also run tools/pytorch's benchmarks on the same machine and files.")
    boolean pytorch;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || dataBatch < 1 || runs < 1 || threads < 1 || epochs < 1) {
            throw new IllegalArgumentException("--batch, --data-batch, --runs, --threads and --epochs must be at least 1");
        }
        org.baid4j.core.model.SaanConfig.reference().withInputSize(size);   // validates the size up front
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", size);
        if (!skipModel) {
            ModelBench.Result m = ModelBench.run(size, batch, runs);
            out.put("batch", batch);
            out.put("inference_img_per_s", round(m.inferenceImagesPerSecond()));
            out.put("train_img_per_s", round(m.trainImagesPerSecond()));
            out.put("peak_rss_mb", round(m.peakRssMb()));
            if (pytorch) {
                out.put("pytorch_model", PyTorchReference.run("bench_saan.py", "--size", "" + size, "--batch", "" + batch,
                        "--runs", "" + runs, "--threads", "" + Runtime.getRuntime().availableProcessors()));
            }
        }
        if (!skipData) {
            Path dir = images;
            if (dir == null) {
                dir = Path.of(System.getProperty("java.io.tmpdir"), "baid4j-bench-images");
                BenchImages.write(dir, 64, 7);
            }
            List<String> names = jpegs(dir);
            if (names.isEmpty()) {
                throw new IllegalArgumentException(dir + ": no JPEG files");
            }
            DataPipelineBench.Result jpeg = DataPipelineBench.jpeg(names, dir, size, dataBatch, threads, epochs);
            Path cacheFile = Files.createTempDirectory("baid4j-bench-").resolve("images.cache");
            DataPipelineBench.Result cache;
            try {
                cache = DataPipelineBench.cache(names, dir, cacheFile, size, dataBatch, threads, epochs);
            } finally {
                Files.deleteIfExists(cacheFile);
                Files.deleteIfExists(cacheFile.getParent());
            }
            out.put("data_threads", threads);
            out.put("data_batch", dataBatch);
            out.put("data_images", names.size());
            out.put("jpeg_img_per_s_per_core", round(jpeg.imagesPerSecondPerCore()));
            out.put("jpeg_batches_per_s_per_core", round(jpeg.batchesPerSecondPerCore()));
            out.put("cache_img_per_s_per_core", round(cache.imagesPerSecondPerCore()));
            out.put("cache_batches_per_s_per_core", round(cache.batchesPerSecondPerCore()));
            if (pytorch) {
                out.put("pytorch_loader", PyTorchReference.run("bench_dataloader.py", dir.toString(), "--batch",
                        "" + dataBatch, "--workers", threads == 1 ? "0" : "" + threads, "--epochs", "" + epochs,
                        "--size", "" + size));
            }
        }
        System.out.println(json ? PyTorchReference.toJson(out) : table(out));
        return 0;
    }

    private static List<String> jpegs(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".jpg") || n.toLowerCase(Locale.ROOT).endsWith(".jpeg"))
                    .sorted().toList();
        }
    }

    private static String table(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-30s %s%n", k, v)));
        return sb.toString().trim();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
