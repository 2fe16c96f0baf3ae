package org.baid4j.core.model;

import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.ExecutionPlan;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;

/**
 * SAAN (Yi et al., CVPR 2023; upstream: the authors' PyTorch code) as an {@link AestheticsModel}:
 * the network, the {@link SaanConfig} it was built from, scoring on the 0-10 scale, and model
 * files that carry their card.
 */
public final class SaanModel implements AestheticsModel {
    public static final ModelType<SaanConfig> TYPE = new ModelType<>("saan",
            "Yi et al., Towards Artistic Image Aesthetics Assessment: a Large-scale Dataset and a New Method, CVPR 2023",
            "https://github.com/Dreemurr-T/BAID", SaanConfig.class, SaanConfig.reference(), SaanModel::create, SaanModel::new);

    private final ComputationGraph graph;
    private final SaanConfig config;

    public SaanModel(ComputationGraph graph, SaanConfig config) {
        this.graph = graph;
        this.config = config;
    }

    /** A new network with the reference's optimiser configured (for scoring, or training as the reference does). */
    public static SaanModel create(SaanConfig config) {
        return new SaanModel(SaanGraph.build(config), config);
    }

    /** A new network to train with {@code optimiser} for {@code epochs} epochs, run by this machine's plan. */
    public static SaanModel create(SaanConfig config, OptimiserConfig optimiser, int epochs) {
        return create(config, optimiser, epochs, ExecutionPlan.standard());
    }

    /** A new network to train with {@code optimiser} for {@code epochs} epochs, run by {@code plan}. */
    public static SaanModel create(SaanConfig config, OptimiserConfig optimiser, int epochs, ExecutionPlan plan) {
        return new SaanModel(SaanGraph.build(config, optimiser, epochs, plan), config);
    }

    /** Loads a SAAN model file ({@link #save}), updater state kept if present, run by this machine's plan. */
    public static SaanModel load(File file) throws IOException {
        return load(file, ExecutionPlan.standard());
    }

    /** Loads a SAAN model file run by {@code plan}. */
    public static SaanModel load(File file, ExecutionPlan plan) throws IOException {
        return ModelFiles.loadNetwork(file, plan, SaanModel.class, "a SAAN network");
    }

    @Override
    public ModelCard card() {
        return new ModelCard(TYPE.name(), TYPE.json(config), Preprocessing.imageNet(config.inputSize()));
    }

    /** Saves the network with its optimiser state (to continue training). */
    public void save(File file) throws IOException {
        save(file, true);
    }

    /** Saves the network and its card; without the optimiser state the file is a third of the size. */
    @Override
    public void save(File file, boolean withUpdater) throws IOException {
        ModelFiles.write(graph, card(), file, withUpdater);
    }

    @Override
    public double[] scores(INDArray images) {
        long[] shape = images.shape();
        int size = config.inputSize();
        if (shape.length != 4 || shape[1] != 3 || shape[2] != size || shape[3] != size) {
            throw new IllegalArgumentException("expected images [B, 3, " + size + ", " + size + "], got "
                    + Arrays.toString(shape));
        }
        INDArray out = graph.outputSingle(false, images);
        double[] scores = out.reshape(out.length()).toDoubleVector();
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= 10;
        }
        return scores;
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    public SaanConfig config() {
        return config;
    }

    public SaanVariant variant() {
        return config.variant();
    }

    public int inputSize() {
        return config.inputSize();
    }
}
