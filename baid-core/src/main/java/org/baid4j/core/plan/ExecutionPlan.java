package org.baid4j.core.plan;

import org.baid4j.core.plan.onednn.OneDnn;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a backend runs a model, kept apart from what the model is. A model declares its network in
 * plain, semantic layers (the paper's figure: DL4J's layers, PyTorch's BatchNorm, AdaIN and the
 * non-local attention as SameDiff vertices), and its files hold that declaration; a plan makes the
 * network that runs it, when the model is built or loaded:
 * <ul>
 *   <li>{@link #plain()}: DL4J's layers as declared, nothing else (for bisecting, and for backends
 *       without oneDNN, such as CUDA);</li>
 *   <li>{@link #cpu()}: the CPU speed work ({@link CpuPlan}): oneDNN's BatchNorm and convolutions,
 *       channels-last backbones, Winograd in the frozen VGG, the stem's weight gradient alone, the
 *       fused ReLU and residual adds, AdaIN in closed form, the frozen branches' activations freed
 *       once read. Parameters and their order are the declaration's, so the same file runs under
 *       either.</li>
 * </ul>
 * {@link #standard()} picks the CPU plan on ND4J's CPU backend with oneDNN, unless
 * {@code -Dbaid4j.plan=plain} asks for the plain one; plain elsewhere. A plan changes no
 * JVM-wide setting.
 */
public abstract class ExecutionPlan {
    /** {@value}=plain runs every model on DL4J's layers as declared; cpu asks for the CPU plan. */
    public static final String PROPERTY = "baid4j.plan";

    /** DL4J's layers as the model declares them. */
    public static ExecutionPlan plain() {
        return Plain.INSTANCE;
    }

    /** The CPU speed work (see {@link CpuPlan}). */
    public static ExecutionPlan cpu() {
        return CpuPlan.INSTANCE;
    }

    /** The plan for this machine: {@link #cpu()} where ND4J runs on the CPU with oneDNN, unless {@value #PROPERTY} says otherwise. */
    public static ExecutionPlan standard() {
        String chosen = System.getProperty(PROPERTY, "").trim();
        switch (chosen) {
            case "plain":
                return plain();
            case "cpu":
                return cpu();
            case "":
                return OneDnn.available() ? cpu() : plain();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + chosen + ": expected plain or cpu");
        }
    }

    /** What the configuration of a network {@code network} ran was before any plan: what a model file holds. */
    public static ComputationGraphConfiguration semanticConfiguration(ComputationGraph network) {
        return network instanceof PlannedGraph planned ? planned.semanticConfiguration() : network.getConfiguration();
    }

    public abstract String name();

    /** The configuration this plan runs for the declared one (which it leaves as it is). */
    public abstract ComputationGraphConfiguration configuration(ComputationGraphConfiguration semantic);

    /**
     * A network of the declared configuration: initialised as its layers declare (seeded) when
     * {@code params} is null, else on {@code params} (shared, not copied), with the optimiser's
     * {@code updaterState} when given.
     */
    public abstract ComputationGraph network(ComputationGraphConfiguration semantic, INDArray params, INDArray updaterState);

    @Override
    public String toString() {
        return name();
    }

    /** Sets up a network made by a plan: its parameters, new or given, and the optimiser's state. */
    static ComputationGraph initialised(ComputationGraph network, INDArray params, INDArray updaterState) {
        if (params == null) {
            network.init();
        } else {
            network.init(params, false);
        }
        if (updaterState != null && updaterState.length() > 0) {
            network.getUpdater().setStateViewArray(updaterState);
        }
        return network;
    }

    /** DL4J's layers as declared. */
    private static final class Plain extends ExecutionPlan {
        static final Plain INSTANCE = new Plain();

        @Override
        public String name() {
            return "plain";
        }

        @Override
        public ComputationGraphConfiguration configuration(ComputationGraphConfiguration semantic) {
            return CpuPlan.copy(semantic);
        }

        @Override
        public ComputationGraph network(ComputationGraphConfiguration semantic, INDArray params, INDArray updaterState) {
            return initialised(new ComputationGraph(configuration(semantic)), params, updaterState);
        }
    }
}
