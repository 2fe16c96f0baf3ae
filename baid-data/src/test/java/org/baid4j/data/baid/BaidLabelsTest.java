package org.baid4j.data.baid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BaidLabelsTest {

    @Test
    void vendoredSplitsAreBaidsAsPublished() {
        assertEquals(50_737, BaidLabels.vendored(BaidSplit.TRAIN).size());
        assertEquals(3_200, BaidLabels.vendored(BaidSplit.VAL).size());
        List<BaidLabel> test = BaidLabels.vendored(BaidSplit.TEST);
        assertEquals(6_400, test.size());
        assertEquals(new BaidLabel("12938.jpg", 5.1598), test.get(0));
        // The published fact the evaluation reports beside accuracy: 76.20% of test scores are <= 5.
        long low = test.stream().filter(l -> l.score() <= 5).count();
        assertEquals(0.7620, low / 6400.0, 5e-5);
        assertEquals(60_337, BaidLabels.vendoredImageList().size());
    }

    @Test
    void badRowsAreErrorsWithFileAndLine(@TempDir Path dir) throws Exception {
        assertError(dir, "image,score\na.jpg,5\nb.jpg,eleven\n", ":3: score 'eleven' is not a number");
        assertError(dir, "image,score\na.jpg,5\nb.jpg,10.5\n", ":3: score 10.5 is outside [0, 10]");
        assertError(dir, "image,score\na.jpg,5\nb.jpg,4\na.jpg,3\n", ":4: a.jpg is listed twice (first on line 2)");
        assertError(dir, "name,value\na.jpg,5\n", ":1: header is 'name,value', expected 'image,score'");
        assertError(dir, "image,score\na.jpg,5,extra\n", ":2: expected 2 fields");
        assertError(dir, "", ": empty file");
    }

    @Test
    void aByteOrderMarkAndBlankLinesAreTolerated(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("val_set.csv");
        Files.writeString(csv, "\uFEFFimage,score\na.jpg,5.5\n\nb.jpg,0\n");
        assertEquals(List.of(new BaidLabel("a.jpg", 5.5), new BaidLabel("b.jpg", 0)), BaidLabels.read(csv));
    }

    private static void assertError(Path dir, String content, String expected) throws Exception {
        Path csv = dir.resolve("train_set.csv");
        Files.writeString(csv, content);
        BaidDataException e = assertThrows(BaidDataException.class, () -> BaidLabels.read(csv));
        assertTrue(e.getMessage().startsWith(csv.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
