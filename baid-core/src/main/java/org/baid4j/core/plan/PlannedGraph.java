package org.baid4j.core.plan;

import org.apache.commons.lang3.ArrayUtils;
import org.baid4j.core.plan.layers.ChannelsLastConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
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
import org.nd4j.linalg.workspace.WorkspaceUtils;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network a plan runs ({@link ExecutionPlan}): DL4J's {@link ComputationGraph} with three
 * jobs of the CPU plan, each in its own place, and the configuration model files hold.
 * <ul>
 *   <li><b>Frozen branches' activations freed once read</b> ({@link FrozenActivations}, the
 *       training forward pass below): DL4J keeps every vertex's output until the backward pass is
 *       over, though the backward pass skips frozen layers and never reads what they took; in SAAN
 *       those are GAB's and the VGG slice's maps, two thirds of a training step's activations.</li>
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
    private static final String FROZEN_WORKSPACE = "BAID_FROZEN_BRANCH_";
    private static final WorkspaceConfiguration FROZEN_WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    /** What model files hold: the model's configuration as declared, before the plan. */
    private final ComputationGraphConfiguration semantic;
    private final boolean freeFrozenActivations;
    private transient FrozenActivations frozen;

    /**
     * @param planned               the configuration the plan made of {@code semantic}
     * @param semantic              the model's configuration as declared (what its files hold)
     * @param freeFrozenActivations whether a training step frees the frozen branches' activations once read
     */
    public PlannedGraph(ComputationGraphConfiguration planned, ComputationGraphConfiguration semantic,
                        boolean freeFrozenActivations) {
        super(planned);
        this.semantic = semantic;
        this.freeFrozenActivations = freeFrozenActivations;
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
     * every call. {@link #setParams}, {@link #setParam} and {@link #setParamTable} make them again;
     * a caller who writes into parameter arrays in place calls {@link #parametersChanged}.
     */
    public void fixParameters() {
        convolutions().forEach(c -> c.fixParameters(true));
    }

    /** Parameters were written in place: what the layers made of them is made again. */
    public void parametersChanged() {
        convolutions().forEach(ChannelsLastConvolutionLayer::parametersChanged);
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

    private List<ChannelsLastConvolutionLayer> convolutions() {
        List<ChannelsLastConvolutionLayer> out = new ArrayList<>();
        for (Layer layer : getLayers() == null ? new Layer[0] : getLayers()) {
            Layer inner = layer instanceof FrozenLayer f ? f.getInsideLayer()
                    : layer instanceof FrozenLayerWithBackprop f ? f.getInsideLayer() : layer;
            if (inner instanceof ChannelsLastConvolutionLayer c) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public void computeGradientAndScore() {
        // Training changes the parameters: a network fixed for scoring and then trained checks them again.
        convolutions().forEach(c -> c.fixParameters(false));
        super.computeGradientAndScore();
        gradient = new OwnGradient(flattenedGradients, gradient);
    }

    /** No weight-decay norm in the score (see the class comment and {@link TrainingLoss}); the gradient keeps the decay. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    /** The same plan on the same parameters (copied), updater state and listeners: for ParallelWrapper's replicas. */
    @Override
    public PlannedGraph clone() {
        ComputationGraph copy = super.clone();
        PlannedGraph out = new PlannedGraph(copy.getConfiguration(), semantic.clone(), freeFrozenActivations);
        out.init(copy.params(), false);
        if (copy.getUpdater(false) != null && copy.getUpdater(false).getStateViewArray() != null) {
            out.getUpdater().setStateViewArray(copy.getUpdater(false).getStateViewArray());
        }
        out.setListeners(getListeners());
        return out;
    }

    /** The vertices whose outputs a training step frees once read. */
    public List<String> freedEarly() {
        return frozen().freed();
    }

    private FrozenActivations frozen() {
        if (frozen == null) {
            frozen = new FrozenActivations(vertices, topologicalOrder, freeFrozenActivations);
        }
        return frozen;
    }

    @Override
    protected synchronized Map<String, INDArray> ffToLayerActivationsInWS(boolean train, int layerIndex, int[] excludeIdxs,
                                                                          FwdPassType fwdPassType, boolean storeLastForTBPTT,
                                                                          INDArray[] input, INDArray[] fMask, INDArray[] lMask,
                                                                          boolean clearInputs) {
        FrozenActivations frozen = frozen();
        if (!train || layerIndex != -1 || fwdPassType != FwdPassType.STANDARD
                || configuration.getTrainingWorkspaceMode() == WorkspaceMode.NONE || !frozen.any()) {
            return super.ffToLayerActivationsInWS(train, layerIndex, excludeIdxs, fwdPassType, storeLastForTBPTT,
                    input, fMask, lMask, clearInputs);
        }
        setInputs(input);
        setLayerMaskArrays(fMask, lMask);
        WorkspaceUtils.assertOpenAndActive(WS_ALL_LAYERS_ACT, "the training forward pass needs WS_ALL_LAYERS_ACT open");
        MemoryWorkspace kept = Nd4j.getMemoryManager().getCurrentWorkspace();
        LayerWorkspaceMgr keptMgr = workspaces(WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG, input);

        Deque<LayerWorkspaceMgr> freePool = new ArrayDeque<>();
        int poolSize = 0;
        Map<MemoryWorkspace, LayerWorkspaceMgr> open = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<MemoryWorkspace>[] closeAfter = new List[topologicalOrder.length];
        Map<String, INDArray> activations = new HashMap<>();
        try {
            for (int i = 0; i < topologicalOrder.length; i++) {
                GraphVertex current = vertices[topologicalOrder[i]];
                int v = current.getVertexIndex();
                if (excludeIdxs == null || !ArrayUtils.contains(excludeIdxs, v)) {
                    LayerWorkspaceMgr mgr = keptMgr;
                    if (frozen.freedEarly(v)) {
                        mgr = freePool.isEmpty() ? workspaces(FROZEN_WORKSPACE + poolSize++, FROZEN_WORKSPACE_CONFIG, input)
                                : freePool.pop();
                        MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS);
                        ws.setPreviousWorkspace(kept);
                        open.put(ws, mgr);
                        int at = frozen.lastReadAt(v);
                        if (closeAfter[at] == null) {
                            closeAfter[at] = new ArrayList<>();
                        }
                        closeAfter[at].add(ws);
                    }
                    forward(current, train, mgr, clearInputs, activations, frozen.freedEarly(v));
                    Nd4j.getMemoryManager().setCurrentWorkspace(kept);
                }
                if (closeAfter[i] != null) {
                    for (MemoryWorkspace ws : closeAfter[i]) {
                        ws.close();
                        freePool.push(open.remove(ws));
                    }
                    closeAfter[i] = null;
                    Nd4j.getMemoryManager().setCurrentWorkspace(kept);
                }
            }
        } finally {
            for (MemoryWorkspace ws : open.keySet()) {
                ws.close();
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(kept);
        }
        return activations;
    }

    /** One vertex's forward pass, its output handed to its readers (as DL4J's loop does). */
    private void forward(GraphVertex current, boolean train, LayerWorkspaceMgr mgr, boolean clearInputs,
                         Map<String, INDArray> activations, boolean freedEarly) {
        try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
            int v = current.getVertexIndex();
            INDArray out;
            if (current.isInputVertex()) {
                out = getInput(v);
            } else {
                out = current.doForward(train, mgr);
                validateArrayWorkspaces(mgr, out, ArrayType.ACTIVATIONS, current.getVertexName(), false, "Feed forward (training)");
            }
            if (!freedEarly) {
                activations.put(current.getVertexName(), out);   // listeners see what lives to the end of the step
            }
            VertexIndices[] readers = current.getOutputVertices();
            for (int r = 0; readers != null && r < readers.length; r++) {
                vertices[readers[r].getVertexIndex()].setInput(readers[r].getVertexEdgeNumber(), out, mgr);
            }
            if (clearInputs) {
                current.clear();
            }
        }
    }

    /** The workspaces of a forward pass whose activations go to {@code activations}. */
    private LayerWorkspaceMgr workspaces(String activations, WorkspaceConfiguration config, INDArray[] input) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, activations, config)
                .with(ArrayType.INPUT, activations, config)
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
