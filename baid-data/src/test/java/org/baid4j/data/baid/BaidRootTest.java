package org.baid4j.data.baid;

import org.baid4j.data.TinyBaid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BaidRootTest {

    @Test
    void aRootsOwnCsvOverridesTheVendoredOne(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        BaidRoot root = BaidRoot.open(dir);
        assertEquals(labels, root.labels(BaidSplit.TEST));
        assertEquals(root.ownLabelFile(BaidSplit.TEST).toString(), root.labelSource(BaidSplit.TEST));
        assertEquals(3_200, root.labels(BaidSplit.VAL).size(), "no val_set.csv of its own: BAID's");
        assertEquals(labels, root.validate(BaidSplit.TEST, SubsetSpec.ALL, 1, false).usable());
    }

    @Test
    void missingAndBrokenImagesAreRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        BaidRoot root = BaidRoot.open(dir);
        Files.delete(root.image(labels.get(2).image()));
        Path jpeg = root.image(labels.stream().filter(l -> l.image().endsWith(".jpg")).findFirst().orElseThrow().image());
        byte[] bytes = Files.readAllBytes(jpeg);
        Files.write(jpeg, Arrays.copyOf(bytes, bytes.length / 2));

        BaidDataException e = assertThrows(BaidDataException.class,
                () -> root.validate(BaidSplit.TEST, SubsetSpec.ALL, 1, false));
        assertTrue(e.getMessage().contains("2 of 10 images of the test split are missing or unusable"), e.getMessage());
        assertTrue(e.getMessage().contains(labels.get(2).image() + ": missing"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated JPEG"), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-missing"), e.getMessage());

        BaidRoot.ValidatedSplit rest = root.validate(BaidSplit.TEST, SubsetSpec.ALL, 1, true);
        assertEquals(8, rest.usable().size());
        assertEquals(2, rest.leftOut().size());
    }

    @Test
    void aRootWithoutImagesIsNamed(@TempDir Path dir) {
        BaidDataException e = assertThrows(BaidDataException.class, () -> BaidRoot.open(dir));
        assertTrue(e.getMessage().contains("no images/ directory"), e.getMessage());
        assertThrows(BaidDataException.class, () -> BaidRoot.open(dir.resolve("nope")));
    }
}
