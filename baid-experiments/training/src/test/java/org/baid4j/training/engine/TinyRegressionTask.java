package org.baid4j.training.engine;

import org.baid4j.core.model.TrainableNetwork;
import org.baid4j.core.optim.LearningRateSchedule;
import org.baid4j.core.optim.OptimiserConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A second task for the engine, nothing like SAAN: a small regression network (4 inputs, a hidden
 * layer with dropout, MSE) on generated data, y = mean of sin(2x). Validation MSE is minimised.
 */
class TinyRegressionTask implements TrainingTask<TinyRegressionTask.Net> {
    static final int INPUTS = 4;

    /** The network and how it saves: DL4J's plain model file. */
    record Net(ComputationGraph graph) implements TrainableNetwork {
        @Override
        public void save(File file, boolean withUpdater) throws IOException {
            ModelSerializer.writeModel(graph, file, withUpdater);
        }
    }

    /** What config.json records of this task. */
    record Config(int train, int val, double learningRate, RunSettings run) {
    }

    private final Config config;
    private final INDArray trainX;
    private final INDArray trainY;
    private final INDArray valX;
    private final INDArray valY;

    TinyRegressionTask(RunSettings run) {
        this.config = new Config(64, 32, 1e-2, run);
        SplittableRandom random = new SplittableRandom(run.seed());
        INDArray[] train = samples(config.train(), random);
        INDArray[] val = samples(config.val(), random);
        trainX = train[0];
        trainY = train[1];
        valX = val[0];
        valY = val[1];
    }

    private static INDArray[] samples(int n, SplittableRandom random) {
        float[] x = new float[n * INPUTS];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < INPUTS; j++) {
                x[i * INPUTS + j] = (float) (random.nextDouble() * 2 - 1);
                sum += Math.sin(2 * x[i * INPUTS + j]);
            }
            y[i] = (float) (sum / INPUTS);
        }
        return new INDArray[]{Nd4j.create(x, new long[]{n, INPUTS}, 'c'), Nd4j.create(y, new long[]{n, 1}, 'c')};
    }

    @Override
    public RunSettings run() {
        return config.run();
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Net newModel(RunLog log) throws IOException {
        OptimiserConfig adam = new OptimiserConfig(config.learningRate(), 0.9, 0.999, 1e-8, 1e-4, LearningRateSchedule.COSINE);
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(config.run().seed()).updater(adam.updater(config.run().epochs())).l2(adam.weightDecay())
                .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("x")
                .addLayer("hidden", new DenseLayer.Builder().nIn(INPUTS).nOut(16).activation(Activation.TANH).build(), "x")
                .addLayer("y", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).dropOut(new Dropout(0.8)).build(), "hidden")
                .setOutputs("y").build());
        graph.init();
        log.log("a new tiny regression network");
        return new Net(graph);
    }

    @Override
    public Net load(Path checkpoint) throws IOException {
        return new Net(ModelSerializer.restoreComputationGraph(checkpoint.toFile(), true));
    }

    @Override
    public EpochBatches trainingBatches() {
        int batch = config.run().batch();
        int n = config.train();
        return new EpochBatches() {
            private int[] order;
            private int at;

            @Override
            public void startEpoch(int epoch) {
                order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                SplittableRandom random = new SplittableRandom(config.run().seed() * 31 + epoch);
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                at = 0;
            }

            @Override
            public boolean hasNext() {
                return at < n;
            }

            @Override
            public MultiDataSet next() {
                int to = Math.min(n, at + batch);
                int[] rows = new int[to - at];
                for (int i = at; i < to; i++) {
                    rows[i - at] = order[i];
                }
                at = to;
                return new org.nd4j.linalg.dataset.MultiDataSet(trainX.getRows(rows), trainY.getRows(rows));
            }

            @Override
            public int batchesPerEpoch() {
                return (n + batch - 1) / batch;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public double learningRate(int epoch) {
        return LearningRateSchedule.COSINE.of(config.learningRate(), config.run().epochs()).valueAt(0, epoch);
    }

    @Override
    public List<String> validationMetrics() {
        return List.of("val_mse");
    }

    @Override
    public Map<String, Double> validate(Net model) {
        INDArray predicted = model.graph().outputSingle(false, valX);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_mse", predicted.sub(valY).norm2Number().doubleValue() * predicted.sub(valY).norm2Number().doubleValue()
                / config.val());
        return m;
    }

    @Override
    public Objective objective() {
        return Objective.minimise("val_mse");
    }

    @Override
    public void close() {
    }
}
