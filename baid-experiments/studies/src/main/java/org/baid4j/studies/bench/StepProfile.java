package org.baid4j.studies.bench;

import org.baid4j.core.model.SaanGraph;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a SAAN training step's time and memory go, by part of the paper's figure (GAB, VGG, SAB
 * content, AdaIN, fusion, non-local block, head, the updater): the graph's vertices run one by
 * one, forward then backward in reverse topological order as {@code ComputationGraph} runs them
 * (frozen layers skipped, consumers' gradients summed), each timed, then the updater. Its
 * arrays live in one workspace of its own, not in DL4J's, so the parts' sum is set beside a real
 * {@code fit} step's time.
 * {@code tools/pytorch/profile_saan.py} gives the same table for the reference.
 */
public final class StepProfile {
    public static final List<String> PARTS = List.of("input layout", "GAB", "VGG", "SAB content", "AdaIN", "fusion",
            "non-local block", "head", "updater");

    private StepProfile() {
    }

    /** Median milliseconds over the timed steps; activations: what the part's vertices output in one step. */
    public record Part(String name, double forwardMs, double backwardMs, double activationMb, double parameterMb) {
    }

    public record Profile(int size, int batch, int steps, List<Part> parts, double fitStepMs) {
        public double partsMs() {
            return parts.stream().mapToDouble(p -> p.forwardMs() + p.backwardMs()).sum();
        }
    }

    /** The part of SAAN's figure a vertex of {@link SaanGraph} belongs to. */
    public static String partOf(String vertex) {
        if (vertex.startsWith(SaanGraph.GAB + "/")) {
            return "GAB";
        }
        if (vertex.startsWith(SaanGraph.SAB_VGG + "/")) {
            return "VGG";
        }
        if (vertex.startsWith(SaanGraph.SAB_CONTENT + "/")) {
            return "SAB content";
        }
        if (vertex.startsWith("sab/")) {
            return "AdaIN";   // AdaIN, its ReLU and the max-pool after it
        }
        if (vertex.startsWith(SaanGraph.NLB)) {
            return "non-local block";
        }
        if (vertex.startsWith(SaanGraph.HEAD + "/")) {
            return "head";
        }
        if (vertex.equals("fusion")) {
            return "fusion";
        }
        return "input layout";   // the image and its channels-last copy
    }

    public static Profile run(int size, int batch, int steps) {
        ModelBench.Workload w = ModelBench.Workload.of(size, batch);
        ComputationGraph graph = w.model().graph();
        DataSet ds = w.dataSet();
        graph.fit(ds);   // warm-up, and the updater's state
        graph.fit(ds);
        double[] fit = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            graph.fit(ds);
            fit[i] = (System.nanoTime() - t) / 1e6;
        }
        Timings timings = new Timings(steps + 1);
        for (int i = 0; i <= steps; i++) {   // step 0 warms the profiled path up and is dropped
            step(graph, w.images(), w.labels(), timings, i);
        }
        List<Part> parts = new ArrayList<>();
        Map<String, Double> parameters = parameterMb(graph);
        for (String part : PARTS) {
            parts.add(new Part(part, timings.median(timings.forward, part), timings.median(timings.backward, part),
                    timings.activations.getOrDefault(part, 0.0), parameters.getOrDefault(part, 0.0)));
        }
        return new Profile(size, batch, steps, parts, ModelBench.median(fit));
    }

    /** Milliseconds by part and step, and the last step's activations by part. */
    private static final class Timings {
        final Map<String, double[]> forward = new LinkedHashMap<>();
        final Map<String, double[]> backward = new LinkedHashMap<>();
        final Map<String, Double> activations = new LinkedHashMap<>();

        Timings(int steps) {
            for (String part : PARTS) {
                forward.put(part, new double[steps]);
                backward.put(part, new double[steps]);
            }
        }

        /** The median over the steps after the first (the warm-up). */
        double median(Map<String, double[]> times, String part) {
            double[] all = times.get(part);
            return ModelBench.median(java.util.Arrays.copyOfRange(all, 1, all.length));
        }
    }

    /**
     * One workspace for all of a step's arrays, learnt on the first step and reset after each: its
     * arrays cost a pointer bump, as in {@code fit}'s workspaces, where without one every
     * activation would be a fresh allocation that the garbage collector frees later.
     */
    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP).policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();

    private static void step(ComputationGraph graph, INDArray x, INDArray y, Timings timings, int step) {
        Gradient all = gradient(graph, x, y, timings, step);
        long t = System.nanoTime();
        graph.getUpdater().update(all, graph.getIterationCount(), graph.getEpochCount(), (int) x.size(0),
                LayerWorkspaceMgr.noWorkspaces());
        graph.params().subi(all.gradient());
        timings.backward.get("updater")[step] += (System.nanoTime() - t) / 1e6;
    }

    /** The gradient of one batch's loss as the profiled vertex-by-vertex pass computes it (for tests). */
    static INDArray gradient(ComputationGraph graph, INDArray x, INDArray y) {
        return gradient(graph, x, y, new Timings(1), 0).gradient();
    }

    private static Gradient gradient(ComputationGraph graph, INDArray x, INDArray y, Timings timings, int step) {
        List<Pair<String, Gradient>> gradients;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, "BAID_STEP_PROFILE")) {
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder().defaultWorkspace("BAID_STEP_PROFILE", STEP_WORKSPACE).build();
            gradients = forwardAndBackward(graph, x, y, timings, step, mgr);
        }
        for (GraphVertex v : graph.getVertices()) {
            v.clear();   // the arrays lived in the workspace just reset
        }
        long t = System.nanoTime();
        Gradient all = new DefaultGradient(graph.getFlattenedGradients());
        for (Pair<String, Gradient> g : gradients) {
            g.getSecond().gradientForVariable().forEach((name, array) ->
                    all.setGradientFor(g.getFirst() + "_" + name, array, g.getSecond().flatteningOrderForVariable(name)));
        }
        timings.backward.get("updater")[step] += (System.nanoTime() - t) / 1e6;
        return all;
    }

    /** The vertices' forward and backward passes; returns their gradients (views of the graph's gradient array). */
    private static List<Pair<String, Gradient>> forwardAndBackward(ComputationGraph graph, INDArray x, INDArray y,
                                                                   Timings timings, int step, LayerWorkspaceMgr mgr) {
        graph.setInputs(x);   // vertices ask the graph for the batch size
        graph.setLabels(y);
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        INDArray[] outputs = new INDArray[vertices.length];
        timings.activations.clear();
        for (int index : order) {
            GraphVertex v = vertices[index];
            String part = partOf(v.getVertexName());
            long t = System.nanoTime();
            if (v.isInputVertex()) {
                outputs[index] = x;
            } else {
                VertexIndices[] inputs = v.getInputVertices();
                for (int j = 0; j < inputs.length; j++) {
                    v.setInput(j, outputs[inputs[j].getVertexIndex()], mgr);
                }
                outputs[index] = v.doForward(true, mgr);
            }
            timings.forward.get(part)[step] += (System.nanoTime() - t) / 1e6;
            timings.activations.merge(part, outputs[index].length() * 4 / 1e6, Double::sum);
            v.setEpsilon(null);
        }
        List<Pair<String, Gradient>> gradients = new ArrayList<>();
        boolean[] hasEpsilon = new boolean[vertices.length];
        for (int i = order.length - 1; i >= 0; i--) {
            GraphVertex v = vertices[order[i]];
            if (v.isInputVertex() || v instanceof FrozenVertex || (v.hasLayer() && v.getLayer() instanceof FrozenLayer)) {
                continue;   // as ComputationGraph.calcBackpropGradients: no backward pass through frozen layers
            }
            long t = System.nanoTime();
            if (v.isOutputVertex()) {
                ((IOutputLayer) v.getLayer()).setLabels(y);
            }
            Pair<Gradient, INDArray[]> result = v.doBackward(false, mgr);
            VertexIndices[] inputs = v.getInputVertices();
            INDArray[] epsilons = result.getSecond();
            for (int j = 0; inputs != null && j < inputs.length; j++) {
                GraphVertex in = vertices[inputs[j].getVertexIndex()];
                if (epsilons == null || epsilons[j] == null) {
                    continue;
                }
                in.setEpsilon(hasEpsilon[in.getVertexIndex()] && in.getEpsilon() != null
                        ? in.getEpsilon().addi(epsilons[j]) : epsilons[j]);
                hasEpsilon[in.getVertexIndex()] = true;
            }
            timings.backward.get(partOf(v.getVertexName()))[step] += (System.nanoTime() - t) / 1e6;
            if (result.getFirst() != null) {
                gradients.add(Pair.of(v.getVertexName(), result.getFirst()));
            }
        }
        return gradients;
    }

    /** Parameters (trainable ones with their gradient and Adam's two moments), by part, in MB. */
    private static Map<String, Double> parameterMb(ComputationGraph graph) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (GraphVertex v : graph.getVertices()) {
            if (!v.hasLayer() || v.getLayer().numParams() == 0) {
                continue;
            }
            Layer layer = v.getLayer();
            boolean frozen = layer instanceof FrozenLayer;
            out.merge(partOf(v.getVertexName()), layer.numParams() * 4 / 1e6 * (frozen ? 1 : 4), Double::sum);
        }
        return out;
    }

    /** {@code StepProfile SIZE BATCH STEPS}: prints the table. */
    public static void main(String[] args) {
        Profile p = run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println(table(p));
        System.exit(0);
    }

    public static String table(Profile p) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "baid4j training step, %dx%d, batch %d, median of %d steps%n%-18s %12s %12s %14s %14s%n", p.size(),
                p.size(), p.batch(), p.steps(), "part", "forward ms", "backward ms", "activations MB", "parameters MB"));
        for (Part part : p.parts()) {
            sb.append(String.format(java.util.Locale.ROOT, "%-18s %12.1f %12.1f %14.1f %14.1f%n", part.name(),
                    part.forwardMs(), part.backwardMs(), part.activationMb(), part.parameterMb()));
        }
        sb.append(String.format(java.util.Locale.ROOT, "%-18s %25.1f%n%-18s %25.1f", "sum of the parts", p.partsMs(),
                "fit() step", p.fitStepMs()));
        return sb.toString();
    }
}
