package org.baid4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and {@code workers} workers, each its own
 * JVM started from this classpath (Spark comes from Maven here, so SPARK_HOME is a folder with
 * an empty jars/), and executors that run on the same classpath. Stopped with everything it
 * started; it waits for each step at most {@code STARTUP}.
 *
 * <p>Where a cluster already runs on this machine ({@code tools/spark/standalone start}, as CI
 * starts it for this test and for {@code baid train --spark}), {@link #startOrJoin} joins it
 * instead: {@code BAID_SPARK_MASTER} is its master, {@code BAID_SPARK_DIR} its state folder.
 */
final class LoopbackCluster implements AutoCloseable {
    private static final long STARTUP = 120_000;

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    final String masterUrl;
    private final int uiPort;
    /** Where the workers keep their applications' folders. */
    private final Path work;

    /** The cluster BAID_SPARK_MASTER names, when set; else a new one in {@code dir}. */
    static LoopbackCluster startOrJoin(Path dir, int workers, int executorMemoryGb) throws IOException, InterruptedException {
        String master = System.getenv("BAID_SPARK_MASTER");
        if (master == null || master.isBlank()) {
            return new LoopbackCluster(dir, workers, executorMemoryGb);
        }
        String state = System.getenv("BAID_SPARK_DIR");
        Path stateDir = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".cache", "baid4j", "spark-standalone");
        return new LoopbackCluster(master, stateDir.resolve("work"));
    }

    private LoopbackCluster(String masterUrl, Path work) {
        this.home = null;
        this.masterUrl = masterUrl;
        this.uiPort = -1;
        this.work = work;
    }

    LoopbackCluster(Path dir, int workers, int executorMemoryGb) throws IOException, InterruptedException {
        home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        work = dir;
        int port = freePort();
        uiPort = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        processes.add(start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort)));
        awaitJson("\"status\" : \"ALIVE\"", dir.resolve("master.log"));
        for (int i = 0; i < workers; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            processes.add(start(dir.resolve("worker-" + i + ".log"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", (executorMemoryGb + 5) + "g",
                    "--webui-port", "0", "--work-dir", work.toString(), masterUrl));
        }
        awaitJson("\"aliveworkers\" : " + workers, dir.resolve("master.log"));
    }

    /** A context on this cluster: one core per executor, executors on this classpath. */
    JavaSparkContext context(int executorMemoryGb) {
        SparkConf conf = new SparkConf().setMaster(masterUrl).setAppName("baid4j loopback test")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", executorMemoryGb + "g")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", JvmOptions.OPENS
                        + " -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=7g")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.task.maxFailures", "1")
                .set("spark.ui.enabled", "false");
        return new JavaSparkContext(conf);
    }

    /** How many executors the workers have run for application {@code appId}. */
    int executorsLaunched(String appId) throws IOException {
        try (var files = Files.walk(work)) {
            return (int) files.filter(p -> p.getFileName().toString().equals("stderr")
                    && p.getParent().getParent().getFileName().toString().equals(appId)).count();
        }
    }

    private Process start(Path log, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(List.of(JvmOptions.OPENS.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitJson(String expected, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + STARTUP;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            try (InputStream in = URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL().openStream()) {
                last = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (last.contains(expected)) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web UI is not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the loopback cluster did not reach " + expected + " in " + STARTUP / 1000
                + " s; master said " + last + "\n" + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
