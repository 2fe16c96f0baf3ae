package org.baid4j.core.model;

import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Model files describe themselves; files from before cards still load; a card that lies is refused by name. */
class ModelFilesTest {

    @Test
    void aSavedModelCarriesItsTypeConfigurationAndPreprocessing(@TempDir Path dir) throws Exception {
        SaanConfig config = new SaanConfig(SaanVariant.WITHOUT_SAB, 96, 0.2, HeadActivation.LEAKY_RELU, 7);
        SaanModel model = SaanModel.create(config);
        File file = dir.resolve("m.zip").toFile();
        model.save(file, false);

        ModelCard card = ModelFiles.readCard(file).orElseThrow();
        assertEquals("saan", card.type());
        assertEquals(Preprocessing.imageNet(96), card.preprocessing());
        assertEquals("without-sab", card.config().get("variant"));
        SaanModel loaded = assertInstanceOf(SaanModel.class, ModelFiles.load(file));
        assertEquals(config, loaded.config(), "the configuration read back, dropout and seed included");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 96, 96);
        assertArrayEquals(model.scores(x), loaded.scores(x), 1e-6);
    }

    /**
     * Files of an earlier format are refused with what to do, never half read: a DL4J file without
     * a card, and one of format 1 (the CPU plan's layers in its configuration).
     */
    @Test
    void aFileOfAnEarlierFormatIsRefusedSayingHowToMakeItAgain(@TempDir Path dir) throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(64));
        File noCard = dir.resolve("no-card.zip").toFile();
        ModelSerializer.writeModel(model.graph(), noCard, false);
        IOException withoutCard = assertThrows(IOException.class, () -> SaanModel.load(noCard));
        assertTrue(withoutCard.getMessage().startsWith(noCard + ": ") && withoutCard.getMessage().contains("baid import-weights"),
                withoutCard.getMessage());

        File formatOne = dir.resolve("format-1.zip").toFile();
        model.save(formatOne, false);
        String card = new String(readEntry(formatOne), java.nio.charset.StandardCharsets.UTF_8);
        writeEntry(formatOne, card.replaceFirst("\"format\" *: *2", "\"format\" : 1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        IOException old = assertThrows(IOException.class, () -> SaanModel.load(formatOne));
        assertTrue(old.getMessage().contains("earlier format 1") && old.getMessage().contains("baid import-weights"),
                old.getMessage());
        assertEquals(1, old.getMessage().lines().count(), old.getMessage());
    }

    @Test
    void anUnknownTypeOrADamagedCardIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        File file = dir.resolve("m.zip").toFile();
        SaanModel.create(SaanConfig.reference().withInputSize(64)).save(file, false);
        String card = new String(readEntry(file), java.nio.charset.StandardCharsets.UTF_8);
        writeEntry(file, card.replace("\"saan\"", "\"nima\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ModelFiles.load(file));
        assertTrue(unknown.getMessage().contains("nima") && unknown.getMessage().contains("saan"), unknown.getMessage());

        writeEntry(file, "{ not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        IOException damaged = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(damaged.getMessage().contains(file.toString()) && damaged.getMessage().contains(ModelFiles.CARD_ENTRY),
                damaged.getMessage());
    }

    @Test
    void aDamagedOrTruncatedModelFileIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.zip");
        SaanModel.create(SaanConfig.of(SaanVariant.WITHOUT_SAB).withInputSize(64)).save(file.toFile(), false);
        byte[] whole = Files.readAllBytes(file);
        Path damaged = dir.resolve("damaged.zip");
        byte[] bytes = whole.clone();
        java.util.Arrays.fill(bytes, bytes.length / 3, bytes.length / 3 + 4096, (byte) 0);
        Files.write(damaged, bytes);
        Path truncated = Files.write(dir.resolve("truncated.zip"), java.util.Arrays.copyOf(whole, whole.length / 2));
        for (Path p : new Path[]{damaged, truncated}) {
            IOException e = assertThrows(IOException.class, () -> ModelFiles.load(p.toFile()));
            assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().contains("damaged")
                    && e.getMessage().lines().count() == 1, e.getMessage());
        }
    }

    @Test
    void aPretrainingNetworkFileSaysWhatItIsAndIsNoSaanModel(@TempDir Path dir) throws Exception {
        GabPretrainingNetwork network = GabPretrainingNetwork.create(new GabPretrainingNetwork.Config(64, 0.5, 3), org.baid4j.core.optim.OptimiserConfig.reference(), 10);
        File file = dir.resolve("pretrain.zip").toFile();
        network.save(file, true);
        assertEquals("gab-pretraining", ModelFiles.readCard(file).orElseThrow().type());
        GabPretrainingNetwork loaded = GabPretrainingNetwork.load(file);
        assertEquals(64, loaded.inputSize());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray p = loaded.probabilities(x);
        assertArrayEquals(new long[]{2, 30}, p.shape());
        assertEquals(2.0, p.sumNumber().doubleValue(), 1e-5, "a distribution over the 30 operations per image");
        assertEquals(network.probabilities(x), p);
        IOException notScoring = assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertTrue(notScoring.getMessage().contains("gab-pretraining"), notScoring.getMessage());
        IOException notSaan = assertThrows(IOException.class, () -> SaanModel.load(file));
        assertTrue(notSaan.getMessage().contains(file.toString()) && notSaan.getMessage().contains("gab-pretraining"),
                notSaan.getMessage());
    }

    private static byte[] readEntry(File file) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toPath().toUri()), Map.of())) {
            return Files.readAllBytes(zip.getPath(ModelFiles.CARD_ENTRY));
        }
    }

    private static void writeEntry(File file, byte[] content) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toPath().toUri()), Map.of())) {
            Files.write(zip.getPath(ModelFiles.CARD_ENTRY), content);
        }
    }
}
