package org.baid4j.cli;

import org.baid4j.core.model.AestheticsModel;
import org.baid4j.studies.bench.BenchImages;
import org.baid4j.studies.bench.DataPipelineBench;
import org.baid4j.studies.bench.ModelBench;
import org.baid4j.studies.bench.PyTorchReference;
import org.baid4j.studies.bench.ScalingBench;
import org.baid4j.studies.bench.ServeLoadBench;
import org.baid4j.studies.bench.StepProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
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
@Command(name = "bench", header = "Measure inference and training throughput and memory.", mixinStandardHelpOptions = true,
        description = {"Measure SAAN inference and training throughput (images/s, median after warm-up),",
                "peak memory, and the input pipeline's decoded, resized, normalised batches per second per core",
                "from JPEG files and from the decoded cache. --pytorch runs the same measurements in PyTorch."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = {"--sizes", "--size"}, split = ",", defaultValue = "224", paramLabel = "S[,S...]",
            description = "Input sides, a row each (default ${DEFAULT-VALUE}); the pipeline figures use the first.")
    List<Integer> sizes;

    @Option(names = {"--batches", "--batch"}, split = ",", defaultValue = "8", paramLabel = "B[,B...]",
            description = "Model batch sizes, a row each (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--modes", split = ",", defaultValue = "inference,train", paramLabel = "MODE[,MODE...]",
            description = "inference, train or both (default ${DEFAULT-VALUE}).")
    List<ModelBench.Mode> modes;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per measurement, after two warm-up runs (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Measurements per row and framework, alternating the frameworks; figures are their medians (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--memory-cap", paramLabel = "MB",
            description = "Stop a measurement whose process grows past this resident memory (default: nine tenths of this machine's).")
    Long memoryCap;

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

    @Option(names = "--profile", description = "Instead of the rows: where a training step's time and memory go, by part"
            + " of SAAN's figure, at the first size and batch (with --pytorch, PyTorch's too).")
    boolean profile;

    @Option(names = "--pytorch", description = "Also run tools/pytorch's benchmarks on the same machine and files.")
    boolean pytorch;

    @Option(names = "--onnxruntime", description = {"Also run the inference rows in ONNX Runtime (Java API, as many threads",
            "as cores): SAAN exported by baid4j, its scores checked against baid4j's before it is timed."})
    boolean onnxruntime;

    @Option(names = "--serve", description = {"Instead of the rows: baid serve's server under load on the loopback, 1, 4 and 16",
            "clients (--clients) posting images (--images, else generated JPEGs), beside the model alone at batch 1 and 8."})
    boolean serve;

    @Option(names = "--clients", split = ",", defaultValue = "1,4,16", paramLabel = "N[,N...]",
            description = "With --serve: concurrent clients, a level each (default ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
            description = "With --serve: the longest a level runs (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--max-requests", defaultValue = "400", paramLabel = "N",
            description = "With --serve: the most requests a level sends (default ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(names = "--model", defaultValue = ScoreCommand.UNTRAINED, paramLabel = "FILE",
            description = "With --serve: the model served (default ${DEFAULT-VALUE}, a seeded SAAN at the first size).")
    String model;

    @Override
    public Integer call() throws Exception {
        int size = sizes.get(0);
        if (serve) {
            return serve(size);
        }
        if (profile) {
            return profile(size, batches.get(0));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (json) {
            out.put("native_allocator", PyTorchReference.nativeAllocator());
        }
        String modelTable = "";
        if (!skipModel) {
            ScalingBench.Plan plan = new ScalingBench.Plan(sizes, batches, modes.stream().distinct().toList(), runs, rounds,
                    pytorch, onnxruntime, Runtime.getRuntime().availableProcessors(),
                    memoryCap != null ? memoryCap : ScalingBench.defaultMemoryCapMb());
            List<ScalingBench.Row> rows = ScalingBench.run(plan, line -> System.err.println("bench: " + line));
            out.put("model", rows.stream().map(ScalingBench.Row::json).toList());
            modelTable = "Native allocator (PyTorch's processes too): " + PyTorchReference.nativeAllocator() + "\n"
                    + modelTable(rows);
        }
        if (!skipData) {
            out.put("size", size);
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
        System.out.println(json ? new ObjectMapper().writeValueAsString(out)
                : (modelTable + "\n" + table(out)).trim());
        return 0;
    }

    private int serve(int size) throws Exception {
        if (seconds < 1 || maxRequests < 1) {
            throw new IllegalArgumentException("--seconds and --max-requests: at least 1");
        }
        AestheticsModel served = ScoreCommand.openModel(model, size).model();
        Path dir = images;
        if (dir == null) {
            dir = Path.of(System.getProperty("java.io.tmpdir"), "baid4j-bench-images");
            BenchImages.write(dir, 64, 7);
        }
        List<Path> files = new java.util.ArrayList<>();
        for (String name : jpegs(dir)) {
            files.add(dir.resolve(name));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--images " + dir + ": no JPEG files");
        }
        ServeLoadBench.Plan plan = new ServeLoadBench.Plan(clients, java.time.Duration.ofSeconds(seconds), maxRequests,
                batches.get(0), java.time.Duration.ofMillis(5));
        ServeLoadBench.Result result = ServeLoadBench.run(served, files, plan, line -> System.err.println("bench: " + line));
        System.out.println(json ? new ObjectMapper().writeValueAsString(result.json()) : result.table());
        return 0;
    }

    private int profile(int size, int batch) throws Exception {
        StepProfile.Profile ours = StepProfile.run(size, batch, runs);
        Map<String, Object> pytorchProfile = pytorch ? PyTorchReference.run("profile_saan.py", "--size", "" + size,
                "--batch", "" + batch, "--steps", "" + runs, "--threads", "" + Runtime.getRuntime().availableProcessors(),
                "--json") : null;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("baid4j", ours);
            if (pytorchProfile != null) {
                out.put("pytorch", pytorchProfile);
            }
            System.out.println(new ObjectMapper().writeValueAsString(out));
            return 0;
        }
        System.out.println(StepProfile.table(ours));
        if (pytorchProfile != null) {
            System.out.println();
            System.out.println(pytorchProfile.get("table"));
        }
        return 0;
    }

    private static String modelTable(List<ScalingBench.Row> rows) {
        boolean ort = rows.stream().anyMatch(r -> r.onnxruntime() != null);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %5s %5s  %13s %13s %6s%s  %12s %12s %6s%s  %s%n",
                "mode", "size", "batch", "baid4j img/s", "pytorch img/s", "ratio",
                ort ? String.format(Locale.ROOT, " %9s %6s %9s", "ort img/s", "ratio", "best peer") : "",
                "baid4j MB", "pytorch MB", "ratio", ort ? String.format(Locale.ROOT, " %9s", "ort MB") : "",
                "cold start s (baid4j / pytorch" + (ort ? " / ort)" : ")")));
        for (ScalingBench.Row r : rows) {
            boolean both = r.pytorch() != null;
            ScalingBench.Figures o = r.onnxruntime();
            String ortSpeed = !ort ? "" : o == null ? String.format(Locale.ROOT, " %9s %6s %9s", "", "", "")
                    : String.format(Locale.ROOT, " %9s %6s %9s", figure(o.medianImagesPerSecond(), 3),
                    figure(r.baid4j().medianImagesPerSecond() / o.medianImagesPerSecond(), 2),
                    both ? figure(r.bestPeerRatio(), 2) : "");
            String ortMemory = !ort ? "" : String.format(Locale.ROOT, " %9s", o == null ? "" : figure(o.medianPeakRssMb(), 0));
            String cold = figure(r.baid4j().medianColdSeconds(), 1) + (both ? " / " + figure(r.pytorch().medianColdSeconds(), 1) : "")
                    + (o != null ? " / " + figure(o.medianColdSeconds(), 1) : "");
            sb.append(String.format(Locale.ROOT, "%-10s %5d %5d  %13s %13s %6s%s  %12s %12s %6s%s  %s%n", r.mode().key(),
                    r.size(), r.batch(), figure(r.baid4j().medianImagesPerSecond(), 3),
                    both ? figure(r.pytorch().medianImagesPerSecond(), 3) : "",
                    both ? figure(r.speedRatio(), 2) : "", ortSpeed,
                    figure(r.baid4j().medianPeakRssMb(), 0), both ? figure(r.pytorch().medianPeakRssMb(), 0) : "",
                    both ? figure(r.memoryRatio(), 2) : "", ortMemory, cold));
            for (ScalingBench.Figures f : java.util.Arrays.asList(r.baid4j(), r.pytorch(), o)) {
                if (f != null && f.failure() != null) {
                    sb.append("    ").append(f == r.baid4j() ? "baid4j" : f == o ? "onnxruntime" : "pytorch").append(": ")
                            .append(f.failure()).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String figure(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
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
        values.forEach((k, v) -> {
            if (!k.equals("model")) {   // the model's rows have a table of their own
                sb.append(String.format(Locale.ROOT, "%-30s %s%n", k, v));
            }
        });
        return sb.toString().trim();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
