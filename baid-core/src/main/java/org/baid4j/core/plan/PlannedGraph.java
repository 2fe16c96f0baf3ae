package org.baid4j.core.plan;

import org.apache.commons.lang3.ArrayUtils;
import org.baid4j.core.plan.layers.ChannelsLastConvolutionLayer;
import org.baid4j.core.plan.layers.FixedParameters;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.workspace.WorkspaceUtils;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a plan runs ({@link ExecutionPlan}): DL4J's {@link ComputationGraph} with three
 * jobs of the CPU plan, each in its own place, and the configuration model files hold.
 * <ul>
 *   <li><b>Activations no backward pass reads, freed once read</b> ({@link ShortLivedActivations},
 *       the training forward pass below): DL4J keeps every vertex's output until the backward pass
 *       is over, though its backward pass skips frozen layers, and a BatchNorm's output that only a
 *       ReLU reads is never read again; in SAAN most of a training step's activations. The frozen
 *       branches that compute each image on their own run in parts of the batch, so that their
 *       maps take a part's memory.</li>
 *   <li><b>The updater's standard path</b> ({@link OwnGradient}): DL4J's updater takes a gradient
 *       for its "external" path (re-cutting a view of every parameter's gradient and value each
 *       step) unless {@code gradient.gradient()} is the network's gradient array itself, and
 *       {@code DefaultGradient} returns a new view each call. The arithmetic is the same.</li>
 *   <li><b>No weight-decay norm in the score</b>: {@link #calcRegularizationScore} is 0. DL4J adds
 *       {@code wd/2 ||theta||^2} to the score at every step, a norm of every parameter that the
 *       training reports leave out anyway (the reference's loss has no such term; the fit
 *       strategies report the loss alone, through {@link TrainingLoss}). The decay stays in the gradient.</li>
 * </ul>
 * Saved, it is its semantic configuration ({@link #semanticConfiguration}) with its parameters:
 * no class of the plan reaches a model file.
 */
public class PlannedGraph extends ComputationGraph {
    private static final String SHORT_LIVED_WORKSPACE = "BAID_SHORT_LIVED_";
    private static final String SCORING_WORKSPACE = "BAID_SCORING_";
    /** Two 224 px images in VGG's first maps: those take 0.05 GB rather than 0.2 at batch 8. */
    private static final long FROZEN_PART_BYTES = 32L << 20;
    /**
     * DL4J's configuration of the activations kept for the backward pass, without its 5% more: the
     * size learned in the first step (or call), exactly. Also the pools' of short-lived activations.
     */
    private static final WorkspaceConfiguration LEARNED_ONCE = learnedOnce(0);

    /** What model files hold: the model's configuration as declared, before the plan. */
    private final ComputationGraphConfiguration semantic;
    private final boolean freeActivationsEarly;
    private transient ShortLivedActivations shortLived;
    /** The scoring pass's fusions, while the parameters are fixed. */
    private transient volatile InferenceFusion fusion;
    /** The most bytes of one map that a part of the batch takes in the frozen branches (see {@link #frozenBranchesInParts}). */
    private long frozenPartBytes = FROZEN_PART_BYTES;
    private transient long frozenBranchBytesPerImage;
    private transient long[] frozenBranchImageSize;

    /**
     * @param planned               the configuration the plan made of {@code semantic}
     * @param semantic              the model's configuration as declared (what its files hold)
     * @param freeActivationsEarly whether a training step frees the activations no backward pass reads once read
     */
    public PlannedGraph(ComputationGraphConfiguration planned, ComputationGraphConfiguration semantic,
                        boolean freeActivationsEarly) {
        super(planned);
        this.semantic = semantic;
        this.freeActivationsEarly = freeActivationsEarly;
        // DL4J's backward workspaces learn OVER_TIME with no cycles given, so they never learn: every
        // gradient map of a backward pass was allocated and freed (about 1 GB a step at 224 px, batch 8).
        WS_LAYER_ACT_X_CONFIG.setPolicyLearning(LearningPolicy.FIRST_LOOP);
    }

    /**
     * The configuration as declared, with this network's iteration and epoch counts (the
     * optimiser's schedule and bias correction read them): what a model file holds.
     */
    public ComputationGraphConfiguration semanticConfiguration() {
        semantic.setIterationCount(configuration.getIterationCount());
        semantic.setEpochCount(configuration.getEpochCount());
        return semantic;
    }

    /**
     * Declares that this network's parameters will not change (a model loaded for scoring): its
     * convolutions then keep their weights in their primitives' layouts without checking them on
     * every call, and an inference pass folds each BatchNorm into the convolution it reads, with
     * the residual add and ReLU after it ({@link InferenceFusion}). {@link #setParams},
     * {@link #setParam} and {@link #setParamTable} make what was made of them again; a caller who
     * writes into parameter arrays in place calls {@link #parametersChanged}; training undoes it.
     */
    public synchronized void fixParameters() {
        fixable().forEach(c -> c.fixParameters(true));
        InferenceFusion f = getConfiguration().getDataType() == DataType.FLOAT ? new InferenceFusion(this, vertices, topologicalOrder) : null;
        fusion = f != null && f.fusedConvolutions() > 0 ? f : null;   // nothing to fold (the plain plan): DL4J's own pass
    }

    /** Parameters were written in place: what the layers made of them is made again. */
    public void parametersChanged() {
        fixable().forEach(FixedParameters::parametersChanged);
    }

    /** How many convolutions an inference pass runs with their BatchNorm folded in (0 unless {@link #fixParameters fixed}). */
    public int fusedConvolutions() {
        InferenceFusion f = fusion;
        return f == null ? 0 : f.fusedConvolutions();
    }

    @Override
    public void setParams(INDArray params) {
        super.setParams(params);
        parametersChanged();
    }

    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);
        parametersChanged();
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        super.setParamTable(paramTable);
        parametersChanged();
    }

    /** The layers that keep what they derive from fixed parameters. */
    private List<FixedParameters> fixable() {
        List<FixedParameters> out = new ArrayList<>();
        for (Layer layer : getLayers() == null ? new Layer[0] : getLayers()) {
            if (InferenceFusion.unwrap(layer) instanceof FixedParameters f) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public void computeGradientAndScore() {
        // Training changes the parameters: a network fixed for scoring and then trained checks them again.
        fusion = null;
        fixable().forEach(c -> c.fixParameters(false));
        if (configuration.getTrainingWorkspaceMode() != WorkspaceMode.NONE
                && !Nd4j.getWorkspaceManager().checkIfWorkspaceExists(WS_ALL_LAYERS_ACT)) {
            // This thread's activations workspace, made before DL4J makes it with its own configuration
            // (which it then takes), in one block the size of the activations the step keeps. Learned
            // instead (DL4J's way), the first step allocates them one by one and frees them at its end
            // for one block; where that block did not fit among them, the allocator kept both, 0.4-0.6 GB
            // more resident at 224 px, batch 8, in about one process in three.
            Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(
                    learnedOnce(keptActivationBytes(getInputs())), WS_ALL_LAYERS_ACT);
        }
        super.computeGradientAndScore();
        gradient = new OwnGradient(flattenedGradients, gradient);
    }

    /** No weight-decay norm in the score (see the class comment and {@link TrainingLoss}); the gradient keeps the decay. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    /** {@link #LEARNED_ONCE}, starting at {@code initialSize} bytes: it grows if a step takes more. */
    private static WorkspaceConfiguration learnedOnce(long initialSize) {
        return WorkspaceConfiguration.builder()
                .initialSize(initialSize).overallocationLimit(0)
                .policyLearning(LearningPolicy.FIRST_LOOP)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE)
                .policyAllocation(AllocationPolicy.OVERALLOCATE)
                .build();
    }

    /** The same plan on the same parameters (copied), updater state and listeners: for ParallelWrapper's replicas. */
    @Override
    public PlannedGraph clone() {
        ComputationGraph copy = super.clone();
        PlannedGraph out = new PlannedGraph(copy.getConfiguration(), semantic.clone(), freeActivationsEarly);
        out.init(copy.params(), false);
        if (copy.getUpdater(false) != null && copy.getUpdater(false).getStateViewArray() != null) {
            out.getUpdater().setStateViewArray(copy.getUpdater(false).getStateViewArray());
        }
        out.setListeners(getListeners());
        return out;
    }

    @Override
    protected INDArray[] outputOfLayersDetached(boolean train, FwdPassType fwdPassType, int[] layerIndexes, INDArray[] features,
                                                INDArray[] fMask, INDArray[] lMasks, boolean clearLayerStates,
                                                boolean detachedInputs, MemoryWorkspace outputWorkspace) {
        InferenceFusion f = fusion;
        if (f == null || train || fwdPassType != FwdPassType.STANDARD || fMask != null || lMasks != null
                || outputWorkspace != null || configuration.getInferenceWorkspaceMode() == WorkspaceMode.NONE
                || Arrays.stream(layerIndexes).anyMatch(i -> !vertices[i].isOutputVertex())) {
            return super.outputOfLayersDetached(train, fwdPassType, layerIndexes, features, fMask, lMasks, clearLayerStates,
                    detachedInputs, outputWorkspace);
        }
        return scoringPass(f, layerIndexes, features, clearLayerStates);
    }

    /**
     * An inference pass with the fusions of {@code f}: vertices in topological order, each output in
     * a workspace of its own (from a pool) that closes once its last reader has run, as DL4J's
     * inference does; a vertex folded into a convolution is not run, its output is the convolution's.
     */
    private synchronized INDArray[] scoringPass(InferenceFusion f, int[] wanted, INDArray[] input, boolean clear) {
        setInputs(input);
        MemoryWorkspace outer = Nd4j.getMemoryManager().getCurrentWorkspace();
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        Deque<LayerWorkspaceMgr> freePool = new ArrayDeque<>();
        List<LayerWorkspaceMgr> made = new ArrayList<>();
        int poolSize = 0;
        Map<MemoryWorkspace, LayerWorkspaceMgr> open = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<MemoryWorkspace>[] closeAfter = new List[topologicalOrder.length];
        INDArray[] outputs = new INDArray[vertices.length];
        INDArray[] result = new INDArray[wanted.length];
        try {
            for (int i = 0; i < topologicalOrder.length; i++) {
                GraphVertex current = vertices[topologicalOrder[i]];
                int v = current.getVertexIndex();
                INDArray out;
                // Where no vertex runs, its readers take the array through a manager that leaves the pool's arrays where they are.
                LayerWorkspaceMgr mgr = made.isEmpty() ? none : made.get(0);
                if (current.isInputVertex()) {
                    out = getInput(v);
                } else if (f.root(v) >= 0) {
                    out = outputs[f.root(v)];
                } else {
                    if (freePool.isEmpty()) {
                        mgr = workspaces(SCORING_WORKSPACE + poolSize, LEARNED_ONCE, SCORING_WORKSPACE + poolSize, input);
                        made.add(mgr);
                        // A vertex reads its inputs where they are, in the other workspaces of the pool,
                        // rather than copying them into its own (DL4J's "leverage").
                        for (int k = 0; k <= poolSize; k++) {
                            mgr.setNoLeverageOverride(SCORING_WORKSPACE + k);
                        }
                        for (LayerWorkspaceMgr other : made) {
                            other.setNoLeverageOverride(SCORING_WORKSPACE + poolSize);
                        }
                        poolSize++;
                    } else {
                        mgr = freePool.pop();
                    }
                    openUntil(mgr, outer, f.lastRead(v), open, closeAfter);
                    ChannelsLastConvolutionLayer conv = InferenceFusion.convolution(current);
                    if (conv != null && f.root(firstReader(current)) == v) {
                        conv.fuseNext(f.addend(v) >= 0 ? outputs[f.addend(v)] : null);
                    }
                    try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                        out = current.doForward(false, mgr);
                    }
                    Nd4j.getMemoryManager().setCurrentWorkspace(outer);
                }
                outputs[v] = out;
                handOn(current, out, mgr, null);
                if (closeAfter[i] != null && i < topologicalOrder.length - 1) {   // the last ones close below, once read
                    for (MemoryWorkspace ws : closeAfter[i]) {
                        ws.close();
                        freePool.push(open.remove(ws));
                    }
                    Nd4j.getMemoryManager().setCurrentWorkspace(outer);
                }
            }
            for (int k = 0; k < wanted.length; k++) {
                result[k] = outputs[wanted[k]].detach();
            }
        } finally {
            for (MemoryWorkspace ws : open.keySet()) {
                ws.close();
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(outer);
            if (clear) {
                clearLayersStates();
            }
        }
        return result;
    }

    private int firstReader(GraphVertex v) {
        VertexIndices[] readers = v.getOutputVertices();
        return readers == null || readers.length == 0 ? v.getVertexIndex() : readers[0].getVertexIndex();
    }

    /** For tests: the most bytes of one map a part of the batch takes in the frozen branches. */
    void frozenPartBytes(long bytes) {
        this.frozenPartBytes = bytes;
    }

    /** The vertices whose outputs a training step frees once read. */
    public List<String> freedEarly() {
        return shortLived().freed();
    }

    private ShortLivedActivations shortLived() {
        if (shortLived == null) {
            shortLived = new ShortLivedActivations(vertices, topologicalOrder, freeActivationsEarly);
        }
        return shortLived;
    }

    @Override
    protected synchronized Map<String, INDArray> ffToLayerActivationsInWS(boolean train, int layerIndex, int[] excludeIdxs,
                                                                          FwdPassType fwdPassType, boolean storeLastForTBPTT,
                                                                          INDArray[] input, INDArray[] fMask, INDArray[] lMask,
                                                                          boolean clearInputs) {
        ShortLivedActivations shortLived = shortLived();
        if (!train || layerIndex != -1 || fwdPassType != FwdPassType.STANDARD
                || configuration.getTrainingWorkspaceMode() == WorkspaceMode.NONE || !shortLived.any()) {
            return super.ffToLayerActivationsInWS(train, layerIndex, excludeIdxs, fwdPassType, storeLastForTBPTT,
                    input, fMask, lMask, clearInputs);
        }
        setInputs(input);
        setLayerMaskArrays(fMask, lMask);
        WorkspaceUtils.assertOpenAndActive(WS_ALL_LAYERS_ACT, "the training forward pass needs WS_ALL_LAYERS_ACT open");
        MemoryWorkspace kept = Nd4j.getMemoryManager().getCurrentWorkspace();
        LayerWorkspaceMgr keptMgr = workspaces(WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG, WS_ALL_LAYERS_ACT, input);

        ShortLivedPool pool = new ShortLivedPool(kept, input);
        Map<String, INDArray> activations = new HashMap<>();
        try {
            // (DL4J excludes the output layers, which no frozen branch holds.)
            Map<Integer, BranchOutput> branchOutputs = frozenBranchesInParts(shortLived, pool, keptMgr, input, train, clearInputs);
            for (int i = 0; i < topologicalOrder.length; i++) {
                GraphVertex current = vertices[topologicalOrder[i]];
                int v = current.getVertexIndex();
                if (branchOutputs.containsKey(v)) {
                    BranchOutput out = branchOutputs.get(v);
                    handOn(current, out.array(), out.home(), shortLived.freedEarly(v) ? null : activations);
                } else if ((excludeIdxs == null || !ArrayUtils.contains(excludeIdxs, v))
                        && (branchOutputs.isEmpty() || !shortLived.inFrozenBranch(v))) {
                    LayerWorkspaceMgr mgr = shortLived.freedEarly(v)
                            ? pool.take(shortLived.hasBackward(v), shortLived.lastReadAt(v)) : keptMgr;
                    forward(current, train, mgr, clearInputs, shortLived.freedEarly(v) ? null : activations);
                    Nd4j.getMemoryManager().setCurrentWorkspace(kept);
                }
                pool.passed(i);
            }
        } finally {
            pool.closeAll();
        }
        return activations;
    }

    /**
     * Opens {@code mgr}'s activations workspace for one vertex's output, to be closed (out of order,
     * hence the previous workspace set by hand, as DL4J does) after position {@code at}.
     */
    private static void openUntil(LayerWorkspaceMgr mgr, MemoryWorkspace previous, int at,
                                  Map<MemoryWorkspace, LayerWorkspaceMgr> open, List<MemoryWorkspace>[] closeAfter) {
        MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS);
        ws.setPreviousWorkspace(previous);
        open.put(ws, mgr);
        if (closeAfter[at] == null) {
            closeAfter[at] = new ArrayList<>();
        }
        closeAfter[at].add(ws);
    }

    /**
     * One vertex's forward pass, its output handed on ({@link #handOn}) and returned; listeners see it
     * through {@code activations} (null for an output that does not live to the end of the step).
     */
    private INDArray forward(GraphVertex current, boolean train, LayerWorkspaceMgr mgr, boolean clearInputs,
                             Map<String, INDArray> activations) {
        try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
            int v = current.getVertexIndex();
            INDArray out;
            if (current.isInputVertex()) {
                out = getInput(v);
            } else {
                out = current.doForward(train, mgr);
                validateArrayWorkspaces(mgr, out, ArrayType.ACTIVATIONS, current.getVertexName(), false, "Feed forward (training)");
            }
            handOn(current, out, mgr, activations);
            if (clearInputs) {
                current.clear();
            }
            return out;
        }
    }

    /**
     * Runs the frozen branches ({@link ShortLivedActivations#inFrozenBranch}) in parts of the batch,
     * each part at most {@link #frozenPartBytes} in any one map, and returns the branches' outputs for
     * the whole batch (kept, or in the pool until their last reader where no backward pass reads
     * them); nothing where the batch is one part. The maps inside the branches (VGG's first ones are
     * 13 MB an image at 224 px) then take a part's memory.
     */
    private Map<Integer, BranchOutput> frozenBranchesInParts(ShortLivedActivations shortLived, ShortLivedPool pool,
                                                         LayerWorkspaceMgr keptMgr, INDArray[] input, boolean train,
                                                         boolean clearInputs) {
        long n = input[0].size(0);
        long part = Math.max(1, frozenPartBytes / Math.max(1, frozenBranchBytesPerImage(input)));
        if (part >= n) {
            return Map.of();
        }
        Map<Integer, BranchOutput> whole = new HashMap<>();
        for (long start = 0; start < n; start += part) {
            long first = start;
            long count = Math.min(part, n - first);
            setInputs(Arrays.stream(input).map(a -> a.get(NDArrayIndex.interval(first, first + count))).toArray(INDArray[]::new));
            for (int i = 0; i < topologicalOrder.length; i++) {
                GraphVertex current = vertices[topologicalOrder[i]];
                int v = current.getVertexIndex();
                if (current.isInputVertex()) {
                    forward(current, train, keptMgr, false, null);   // the part, to the branches' first vertices
                } else if (shortLived.inFrozenBranch(v)) {
                    INDArray out = forward(current, train, pool.take(false, shortLived.lastBranchReadAt(v)), clearInputs, null);
                    if (shortLived.isBranchOutput(v)) {
                        BranchOutput all = whole.get(v);
                        if (all == null) {
                            // Where it is, for the whole batch: kept, or (freed early) in the pool until its last reader.
                            LayerWorkspaceMgr home = shortLived.freedEarly(v) ? pool.take(false, shortLived.lastOutsideReadAt(v)) : keptMgr;
                            long[] shape = out.shape().clone();
                            shape[0] = n;
                            all = new BranchOutput(home.createUninitialized(ArrayType.ACTIVATIONS, out.dataType(), shape, 'c'), home);
                            whole.put(v, all);
                        }
                        all.array().get(NDArrayIndex.interval(first, first + count)).assign(out);
                    }
                    Nd4j.getMemoryManager().setCurrentWorkspace(pool.kept);
                    pool.passed(i);   // at the branches' positions only: the whole-batch outputs live on past the parts
                }
            }
        }
        setInputs(input);
        return whole;
    }

    /** A frozen branch's output for the whole batch, with the manager of the workspace it lives in (its readers take it there). */
    private record BranchOutput(INDArray array, LayerWorkspaceMgr home) {
    }

    /** {@code current}'s output handed to its readers (as DL4J's loop does), and to listeners through {@code activations} unless null. */
    private void handOn(GraphVertex current, INDArray out, LayerWorkspaceMgr mgr, Map<String, INDArray> activations) {
        if (activations != null) {
            activations.put(current.getVertexName(), out);
        }
        VertexIndices[] readers = current.getOutputVertices();
        for (int r = 0; readers != null && r < readers.length; r++) {
            vertices[readers[r].getVertexIndex()].setInput(readers[r].getVertexEdgeNumber(), out, mgr);
        }
    }

    /**
     * The bytes of the activations a training step on {@code input} keeps for its backward pass (every
     * vertex's output but those {@linkplain ShortLivedActivations freed early}), from the configuration's
     * activation types, and 1% for what layers keep beside them (SAAN's output layer applies its
     * dropout again in the backward pass: 8 KB an image). A step that takes more still runs: the
     * workspace then grows to its size at the step's end (DL4J's learning).
     */
    long keptActivationBytes(INDArray[] input) {
        long[] perImage = outputBytesPerImage(input);
        ShortLivedActivations shortLived = shortLived();
        long bytes = 0;
        for (int v = 0; v < perImage.length; v++) {
            if (!shortLived.freedEarly(v)) {
                bytes += (perImage[v] * input[0].size(0) + 15) / 16 * 16;   // a workspace aligns each array to 16 bytes
            }
        }
        return bytes + bytes / 100;
    }

    /** The largest map of the frozen branches for one image of {@code input}'s size, in bytes. */
    private long frozenBranchBytesPerImage(INDArray[] input) {
        long[] size = Arrays.copyOfRange(input[0].shape(), 1, input[0].rank());
        if (!Arrays.equals(size, frozenBranchImageSize)) {
            long[] perImage = outputBytesPerImage(input);
            ShortLivedActivations shortLived = shortLived();
            long largest = 0;
            for (int v = 0; v < perImage.length; v++) {
                if (shortLived.inFrozenBranch(v)) {
                    largest = Math.max(largest, perImage[v]);
                }
            }
            frozenBranchBytesPerImage = largest;
            frozenBranchImageSize = size;
        }
        return frozenBranchBytesPerImage;
    }

    /** Each vertex's output for one image of {@code input}'s size, in bytes, by vertex index (from the configuration's activation types; 0 where it gives none). */
    private long[] outputBytesPerImage(INDArray[] input) {
        Map<String, InputType> types = configuration.getLayerActivationTypes(InputType.inferInputTypes(input));
        long[] bytes = new long[vertices.length];
        for (GraphVertex v : vertices) {
            InputType type = types.get(v.getVertexName());
            bytes[v.getVertexIndex()] = type == null ? 0 : type.arrayElementsPerExample() * configuration.getDataType().width();
        }
        return bytes;
    }

    /** The training pass's pool of workspaces for short-lived activations, each closed once its last reader has run. */
    private final class ShortLivedPool {
        private final MemoryWorkspace kept;
        private final INDArray[] input;
        // Each workspace has two managers: a vertex with a backward pass keeps what it takes of its
        // inputs (DL4J's INPUT arrays) beside its output, which goes; a skipped one keeps nothing (a
        // frozen layer's INPUT arrays would double the activations kept).
        private final Map<String, LayerWorkspaceMgr[]> managers = new HashMap<>();
        private final Deque<String> free = new ArrayDeque<>();
        private final Map<MemoryWorkspace, LayerWorkspaceMgr> open = new HashMap<>();
        private final List<MemoryWorkspace>[] closeAfter;

        @SuppressWarnings("unchecked")
        ShortLivedPool(MemoryWorkspace kept, INDArray[] input) {
            this.kept = kept;
            this.input = input;
            this.closeAfter = new List[topologicalOrder.length];
        }

        /** A manager whose activations workspace is open until the vertex at position {@code until} has run. */
        LayerWorkspaceMgr take(boolean keepsInputs, int until) {
            String name = free.isEmpty() ? SHORT_LIVED_WORKSPACE + managers.size() : free.pop();
            LayerWorkspaceMgr mgr = managers.computeIfAbsent(name, n -> new LayerWorkspaceMgr[]{
                    poolManager(n, n, input), poolManager(n, WS_ALL_LAYERS_ACT, input)})[keepsInputs ? 1 : 0];
            openUntil(mgr, kept, until, open, closeAfter);
            return mgr;
        }

        /** The vertex at {@code position} has run: closes the workspaces it was the last reader of. */
        void passed(int position) {
            if (closeAfter[position] != null) {
                for (MemoryWorkspace ws : closeAfter[position]) {
                    ws.close();
                    free.push(open.remove(ws).getWorkspaceName(ArrayType.ACTIVATIONS));
                }
                closeAfter[position] = null;
                Nd4j.getMemoryManager().setCurrentWorkspace(kept);
            }
        }

        void closeAll() {
            for (MemoryWorkspace ws : open.keySet()) {
                ws.close();
            }
            open.clear();
            Nd4j.getMemoryManager().setCurrentWorkspace(kept);
        }
    }

    /** A manager of the training pass's workspace pool whose activations go to {@code name}, read where they are. */
    private LayerWorkspaceMgr poolManager(String name, String inputs, INDArray[] input) {
        LayerWorkspaceMgr mgr = workspaces(name, LEARNED_ONCE, inputs, input);
        mgr.setNoLeverageOverride(name);   // readers take the output where it is (DL4J's setInput would copy it into INPUT's workspace)
        return mgr;
    }

    /** The workspaces of a forward pass whose activations go to {@code activations}, and the arrays layers keep of their inputs to {@code inputs}. */
    private LayerWorkspaceMgr workspaces(String activations, WorkspaceConfiguration config, String inputs, INDArray[] input) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, activations, config)
                .with(ArrayType.INPUT, inputs, inputs.equals(activations) ? config : WS_ALL_LAYERS_ACT_CONFIG)
                .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                .build();
        if (input[0].isAttached()) {
            // Don't leverage out of an asynchronous iterator's workspace (as DL4J).
            mgr.setNoLeverageOverride(input[0].data().getParentWorkspace().getId());
        }
        if (configuration.getCacheMode() != CacheMode.NONE) {
            mgr.setWorkspace(ArrayType.FF_CACHE, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG);
        }
        mgr.setHelperWorkspacePointers(helperWorkspaces);
        return mgr;
    }
}
