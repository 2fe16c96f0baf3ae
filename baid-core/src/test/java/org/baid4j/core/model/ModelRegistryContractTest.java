package org.baid4j.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every registered model type promises, checked over {@link ModelRegistry#types()}: made by
 * name from a map of settings, it gives finite outputs, saves with a card of its type and
 * configuration, loads without being told its type, and gives the same outputs after.
 */
class ModelRegistryContractTest {

    static List<String> types() {
        return ModelRegistry.types().stream().map(ModelType::name).toList();
    }

    @ParameterizedTest
    @MethodSource("types")
    void buildsScoresSavesLoadsAndScoresTheSame(String name, @TempDir Path dir) throws Exception {
        ModelType<?> type = ModelRegistry.type(name);
        TrainableNetwork network = ModelRegistry.create(name, Map.of("inputSize", 64, "seed", 5));
        File file = dir.resolve(name + ".zip").toFile();
        network.save(file, true);
        ModelCard card = ModelFiles.readCard(file).orElseThrow();
        assertEquals(name, card.type());
        assertEquals(64, card.preprocessing().inputSize());
        assertEquals(5, ((Number) card.config().get("seed")).intValue(), "the map's settings were applied");
        assertEquals(throughRecord(type, card.config()), card.config(), "the card's configuration is the type's record");

        Nd4j.getRandom().setSeed(11);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64).subi(0.5).muli(4);
        INDArray[] before = outputs(network, images);
        for (INDArray out : before) {
            assertTrue(Double.isFinite(out.sumNumber().doubleValue()), name + " gives finite outputs");
        }
        TrainableNetwork loaded = ModelFiles.loadNetwork(file);
        assertEquals(network.getClass(), loaded.getClass());
        File again = dir.resolve(name + "-again.zip").toFile();
        loaded.save(again, false);
        assertEquals(card, ModelFiles.readCard(again).orElseThrow(), "the loaded network describes itself as it was");
        INDArray[] after = outputs(loaded, images);
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], name + ": output " + i + " after saving and loading");
        }
    }

    @Test
    void aTypeIsMadeByNameWithTheReferenceSettingsOrRefusesWhatItDoesNotHave() {
        SaanModel reference = assertInstanceOf(SaanModel.class, ModelRegistry.create("saan", SaanConfig.reference().withInputSize(64)));
        assertEquals(SaanConfig.reference().withInputSize(64), reference.config());
        IllegalArgumentException unknownSetting = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("saan", Map.of("depth", 101)));
        assertTrue(unknownSetting.getMessage().contains("no setting 'depth'") && unknownSetting.getMessage().contains("inputSize"),
                unknownSetting.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("saan", Map.of("inputSize", 100)));
        assertTrue(badValue.getMessage().contains("multiple of 32"), badValue.getMessage());
        IllegalArgumentException unknownType = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.create("nima"));
        assertTrue(unknownType.getMessage().contains("known: saan, gab-pretraining"), unknownType.getMessage());
    }

    /** The JSON read into the type's configuration record and written back. */
    private static <C> Map<String, Object> throughRecord(ModelType<C> type, Map<String, Object> json) {
        return type.json(type.config(json));
    }

    private static INDArray[] outputs(TrainableNetwork network, INDArray images) {
        if (network instanceof AestheticsModel m) {
            return new INDArray[]{Nd4j.createFromArray(m.scores(images))};
        }
        return network.graph().output(false, images);
    }
}
