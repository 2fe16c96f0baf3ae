package org.baid4j.studies.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.studies.bench.ModelBench.Mode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How SAAN's cost grows with batch and input size, in baid4j and its peers: each (size, batch, mode)
 * measurement is a process of its own ({@link ModelBench#main}, {@code tools/pytorch/bench_saan.py},
 * {@link OnnxRuntimeBench#main} for inference), so that its peak resident memory is that work's
 * alone. Rounds alternate the frameworks, row by row, since a shared machine's speed drifts within
 * minutes; each figure is the median over rounds. A process that grows past the memory cap is
 * stopped and its row says so.
 */
public final class ScalingBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScalingBench() {
    }

    public static final String BAID4J = "baid4j";
    public static final String PYTORCH = "pytorch";
    public static final String ONNXRUNTIME = "onnxruntime";

    public record Plan(List<Integer> sizes, List<Integer> batches, List<Mode> modes, int runs, int rounds,
                       boolean pytorch, boolean onnxruntime, int threads, long memoryCapMb) {
    }

    /** One framework's figures for one row: one value per round, or the reason there are none. */
    public record Figures(List<Double> imagesPerSecond, List<Double> peakRssMb, List<Double> coldSeconds, String failure,
                          String framework) {
        public double medianImagesPerSecond() {
            return median(imagesPerSecond);
        }

        /** From loading the framework to the first output: a service's cold start (NaN where not measured). */
        public double medianColdSeconds() {
            return median(coldSeconds);
        }

        public double medianPeakRssMb() {
            return median(peakRssMb);
        }

        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (framework != null) {
                out.put("framework", framework);
            }
            out.put("img_per_s", round(medianImagesPerSecond()));
            out.put("peak_rss_mb", round(medianPeakRssMb()));
            out.put("img_per_s_rounds", imagesPerSecond.stream().map(ScalingBench::round).toList());
            out.put("peak_rss_mb_rounds", peakRssMb.stream().map(ScalingBench::round).toList());
            if (!coldSeconds.isEmpty()) {
                out.put("cold_s", round(medianColdSeconds()));
            }
            if (failure != null) {
                out.put("failure", failure);
            }
            return out;
        }
    }

    public record Row(Mode mode, int size, int batch, Figures baid4j, Figures pytorch, Figures onnxruntime) {
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", mode.key());
            out.put("size", size);
            out.put("batch", batch);
            out.put(BAID4J, baid4j.json());
            if (pytorch != null) {
                out.put(PYTORCH, pytorch.json());
                out.put("speed_ratio", round(speedRatio()));
                out.put("memory_ratio", round(memoryRatio()));
            }
            if (onnxruntime != null) {
                out.put(ONNXRUNTIME, onnxruntime.json());
                out.put("speed_ratio_onnxruntime", round(pairwiseMedian(baid4j.imagesPerSecond(), onnxruntime.imagesPerSecond())));
                out.put("memory_ratio_onnxruntime", round(pairwiseMedian(baid4j.peakRssMb(), onnxruntime.peakRssMb())));
            }
            if (pytorch != null && onnxruntime != null) {
                out.put("speed_ratio_best_peer", round(bestPeerRatio()));
            }
            return out;
        }

        /** baid4j's images/s over the faster peer's, round by round (the median of those ratios). */
        public double bestPeerRatio() {
            List<Double> best = new ArrayList<>();
            List<Double> p = pytorch == null ? List.of() : pytorch.imagesPerSecond();
            List<Double> o = onnxruntime == null ? List.of() : onnxruntime.imagesPerSecond();
            for (int i = 0; i < Math.max(p.size(), o.size()); i++) {
                best.add(Math.max(i < p.size() ? p.get(i) : 0, i < o.size() ? o.get(i) : 0));
            }
            return pairwiseMedian(baid4j.imagesPerSecond(), best);
        }

        /**
         * baid4j's images/s over PyTorch's: the median of the rounds' ratios, each of two runs made
         * one after the other (the machine's drift cancels), else the ratio of the medians.
         */
        public double speedRatio() {
            return pairwiseMedian(baid4j.imagesPerSecond(), pytorch.imagesPerSecond());
        }

        /** baid4j's peak memory over PyTorch's, as {@link #speedRatio}. */
        public double memoryRatio() {
            return pairwiseMedian(baid4j.peakRssMb(), pytorch.peakRssMb());
        }

        private static double pairwiseMedian(List<Double> ours, List<Double> theirs) {
            if (ours.size() != theirs.size() || ours.isEmpty()) {
                return median(ours) / median(theirs);
            }
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < ours.size(); i++) {
                ratios.add(ours.get(i) / theirs.get(i));
            }
            return median(ratios);
        }
    }

    public static List<Row> run(Plan plan, Consumer<String> progress) throws IOException, InterruptedException {
        record Key(Mode mode, int size, int batch) {
        }
        List<Key> keys = new ArrayList<>();
        for (int size : plan.sizes()) {
            for (int batch : plan.batches()) {
                for (Mode mode : plan.modes()) {
                    keys.add(new Key(mode, size, batch));
                }
            }
        }
        Map<Key, Collector> ours = new LinkedHashMap<>();
        Map<Key, Collector> theirs = new LinkedHashMap<>();
        Map<Key, Collector> runtime = new LinkedHashMap<>();
        Map<Integer, OnnxModel> exported = new LinkedHashMap<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (Key k : keys) {
                String what = String.format(Locale.ROOT, "%s %dx%d batch %d, round %d of %d", k.mode().key(), k.size(),
                        k.size(), k.batch(), round, plan.rounds());
                Collector mine = ours.computeIfAbsent(k, x -> new Collector());
                if (mine.failure == null) {
                    mine.add(measure(new ProcessBuilder(baid4jCommand(k.mode(), k.size(), k.batch(), plan.runs())),
                            plan.memoryCapMb()),
                            BAID4J + " " + what, progress);
                }
                if (plan.pytorch()) {
                    Collector other = theirs.computeIfAbsent(k, x -> new Collector());
                    if (other.failure == null) {
                        other.add(measure(PyTorchReference.process("bench_saan.py", "--mode", k.mode().key(),
                                "--size", "" + k.size(), "--batch", "" + k.batch(), "--runs", "" + plan.runs(),
                                "--threads", "" + plan.threads()), plan.memoryCapMb()), PYTORCH + " " + what, progress);
                    }
                }
                if (plan.onnxruntime() && k.mode() == Mode.INFERENCE) {
                    Collector other = runtime.computeIfAbsent(k, x -> new Collector());
                    if (other.failure == null) {
                        OnnxModel onnx = exported.computeIfAbsent(k.size(), OnnxModel::export);
                        other.add(measure(new ProcessBuilder(onnxRuntimeCommand(onnx, k.size(), k.batch(), plan.runs(),
                                plan.threads())), plan.memoryCapMb()), ONNXRUNTIME + " " + what, progress);
                    }
                }
            }
        }
        exported.values().forEach(OnnxModel::delete);
        List<Row> rows = new ArrayList<>();
        for (Key k : keys) {
            rows.add(new Row(k.mode(), k.size(), k.batch(), ours.get(k).figures(),
                    plan.pytorch() ? theirs.get(k).figures() : null,
                    runtime.containsKey(k) ? runtime.get(k).figures() : null));
        }
        return rows;
    }

    /** The physical memory of this machine less a tenth, in MB: the default cap. */
    public static long defaultMemoryCapMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 * 9 / 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no cap
        }
        return Long.MAX_VALUE;
    }

    /** This JVM's java, options and classpath, running {@link ModelBench}. */
    static List<String> baid4jCommand(Mode mode, int size, int batch, int runs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelBench.class.getName(),
                mode.key(), "" + size, "" + batch, "" + runs));
        return command;
    }

    /**
     * The reference SAAN at one size as ModelBench builds it (seeded), exported to ONNX by baid4j,
     * with a batch and baid4j's scores of it for ONNX Runtime's parity check before it is timed.
     */
    record OnnxModel(Path folder, Path model, Path checkInput, Path checkScores) {
        static OnnxModel export(int size) {
            try {
                Path folder = Files.createTempDirectory("baid4j-bench-onnx-");
                org.baid4j.core.model.SaanModel saan = ModelBench.Workload.of(size, 2).model();
                Path model = folder.resolve("saan-" + size + ".onnx");
                org.baid4j.weights.OnnxExporter.exportSaan(saan, model);
                org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(2);
                org.nd4j.linalg.api.ndarray.INDArray images = org.nd4j.linalg.factory.Nd4j.randn(
                        org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, size, size);
                Path input = Files.write(folder.resolve("check-input.bin"), OnnxRuntimeBench.bytes(images.data().asFloat()));
                Path scores = Files.write(folder.resolve("check-scores.bin"), OnnxRuntimeBench.bytes(saan.scores(images)));
                return new OnnxModel(folder, model, input, scores);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void delete() {
            for (Path p : new Path[]{model, checkInput, checkScores, folder}) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temporary file: the system's cleaning takes it
                }
            }
        }
    }

    /** This JVM's java and classpath (the CLI's, which holds ONNX Runtime), running {@link OnnxRuntimeBench}. */
    static List<String> onnxRuntimeCommand(OnnxModel onnx, int size, int batch, int runs, int threads) {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                OnnxRuntimeBench.class.getName(), onnx.model().toString(), "" + size, "" + batch, "" + runs, "" + threads,
                onnx.checkInput().toString(), onnx.checkScores().toString());
    }

    /** One measurement's JSON, or the reason it has none; the child is stopped past the cap. */
    record Measurement(Map<String, Object> json, String failure) {
    }

    static Measurement measure(ProcessBuilder process, long memoryCapMb) throws IOException, InterruptedException {
        Path log = Files.createTempFile("baid4j-bench-", ".log");
        try {
            Process p = process.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long peak = 0;
            while (!p.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, residentMb(p.pid()));
                if (peak > memoryCapMb) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    return new Measurement(null, "stopped at " + peak + " MB resident, past the cap of " + memoryCapMb
                            + " MB (--memory-cap)");
                }
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(l -> !l.isEmpty()).toList();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (p.exitValue() != 0 || !last.startsWith("{")) {
                String why = lines.stream().filter(l -> l.contains("Error") || l.contains("Exception")).findFirst()
                        .orElse(last);
                return new Measurement(null, "exit " + p.exitValue() + ": " + why);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> json = JSON.readValue(last, Map.class);
            return new Measurement(json, null);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static long residentMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return 0;
    }

    private static final class Collector {
        final List<Double> speed = new ArrayList<>();
        final List<Double> memory = new ArrayList<>();
        final List<Double> cold = new ArrayList<>();
        String failure;
        String framework;

        void add(Measurement m, String what, Consumer<String> progress) {
            if (m.failure() != null) {
                failure = m.failure();
                progress.accept(what + ": " + failure);
                return;
            }
            framework = String.valueOf(m.json().get("framework"));
            speed.add(((Number) m.json().get("img_per_s")).doubleValue());
            memory.add(((Number) m.json().get("peak_rss_mb")).doubleValue());
            if (m.json().get("cold_s") instanceof Number c) {
                cold.add(c.doubleValue());
            }
            progress.accept(String.format(Locale.ROOT, "%s: %.3f images/s, peak %.0f MB", what,
                    speed.get(speed.size() - 1), memory.get(memory.size() - 1)));
        }

        Figures figures() {
            return new Figures(List.copyOf(speed), List.copyOf(memory), List.copyOf(cold), failure, framework);
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return ModelBench.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Three decimals; null (JSON's null) for a figure there is none of. */
    private static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
