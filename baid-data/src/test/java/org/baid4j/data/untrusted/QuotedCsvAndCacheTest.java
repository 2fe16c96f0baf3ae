package org.baid4j.data.untrusted;

import org.baid4j.core.io.FolderLock;
import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidDataException;
import org.baid4j.data.baid.BaidLabel;
import org.baid4j.data.baid.BaidLabels;
import org.baid4j.data.baid.BaidRoot;
import org.baid4j.data.baid.BaidSplit;
import org.baid4j.data.pipeline.DecodedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** RFC 4180 quoting in the label files; a split with no rows named; the cache's checksums catch silent edits. */
class QuotedCsvAndCacheTest {

    @Test
    void quotedFieldsAreRead(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("train_set.csv"),
                "image,score\r\n\"a,b.jpg\",5.5\r\n\"say \"\"hi\"\".jpg\",\"7\"\r\n");
        assertEquals(List.of(new BaidLabel("a,b.jpg", 5.5), new BaidLabel("say \"hi\".jpg", 7)), BaidLabels.read(csv));
        Path list = Files.writeString(dir.resolve("list.csv"), "image_link,image_name\n\"http://x/a,b.jpg\",a.jpg\n");
        assertEquals("http://x/a,b.jpg", BaidLabels.readImageList(list).get(0).url());
        Path upper = Files.writeString(dir.resolve("upper.csv"), "image_link,image_name\nHTTPS://X/a.jpg,a.jpg\n");
        assertEquals("HTTPS://X/a.jpg", BaidLabels.readImageList(upper).get(0).url(), "URL schemes are case-insensitive");
        Files.writeString(csv, "image,score\na.jpg,5,extra\n");
        BaidDataException e = assertThrows(BaidDataException.class, () -> BaidLabels.read(csv));
        assertEquals(csv + ":2: expected 2 fields (image,score), found 3 (quote a field that has a comma)", e.getMessage());
    }

    @Test
    void aSplitWithAHeaderAndNoRowsIsNamed(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path val = root.resolve("dataset").resolve("val_set.csv");
        Files.writeString(val, "image,score\n");
        BaidDataException e = assertThrows(BaidDataException.class, () -> BaidRoot.open(root).labels(BaidSplit.VAL));
        assertEquals(val + ": the val split has a header and no rows", e.getMessage());
    }

    @Test
    void verifyFindsEditsThatKeepSizeAndTimeAndDamagedPixels(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        Path images = dir.resolve("images");
        List<String> names = labels.stream().map(BaidLabel::image).toList();
        Path file = dir.resolve("cache").resolve("test-64.bin");
        DecodedCache.openOrBuild(file, images, names, 64, 2, () -> { }).close();
        try (DecodedCache cache = DecodedCache.open(file, images, names, 64)) {
            assertEquals(List.of(), cache.verify(images, () -> { }));
        }
        try (FolderLock building = FolderLock.acquireFile(file)) {   // another process building the same cache
            FolderLock.FolderInUseException busy = assertThrows(FolderLock.FolderInUseException.class,
                    () -> DecodedCache.build(file, images, names, 64, 2, () -> { }));
            assertTrue(busy.getMessage().startsWith(file + ": in use by"), busy.getMessage());
        }
        // A same-size edit with its modification time put back: the size-and-time check cannot see it.
        Path edited = images.resolve(names.get(2));
        FileTime time = Files.getLastModifiedTime(edited);
        byte[] bytes = Files.readAllBytes(edited);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(edited, bytes);
        Files.setLastModifiedTime(edited, time);
        // And a damaged byte in the cache's pixels of another image.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() - 100;   // inside the last slot
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x0F));
            ch.write(b.rewind(), at);
        }
        try (DecodedCache cache = DecodedCache.open(file, images, names, 64)) {
            List<String> problems = cache.verify(images, () -> { }).stream().flatMap(d -> d.problems().stream()).toList();
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.contains(edited + ": changed since the cache was built (its content, whatever its size and"
                    + " time)"), problems.toString());
            assertTrue(problems.contains(file + ": the pixels of " + names.get(names.size() - 1) + " are damaged"),
                    problems.toString());
        }
        // One entry both edited and damaged counts once.
        String last = names.get(names.size() - 1);
        Path lastImage = images.resolve(last);
        FileTime lastTime = Files.getLastModifiedTime(lastImage);
        byte[] lastBytes = Files.readAllBytes(lastImage);
        lastBytes[lastBytes.length / 2] ^= 0x55;
        Files.write(lastImage, lastBytes);
        Files.setLastModifiedTime(lastImage, lastTime);
        try (DecodedCache cache = DecodedCache.open(file, images, names, 64)) {
            List<DecodedCache.Damaged> damaged = cache.verify(images, () -> { });
            assertEquals(List.of(names.get(2), last), damaged.stream().map(DecodedCache.Damaged::entry).toList());
            assertEquals(2, damaged.get(1).problems().size(), damaged.toString());
        }
        // Bytes appended to the file: the cache is not used, and openOrBuild builds it again.
        Files.write(file, new byte[]{1, 2, 3}, StandardOpenOption.APPEND);
        DecodedCache.UnusableCacheException appended = assertThrows(DecodedCache.UnusableCacheException.class,
                () -> DecodedCache.open(file, images, names, 64));
        assertTrue(appended.getMessage().startsWith(file + ": 3 bytes more than a cache of " + names.size() + " images holds"),
                appended.getMessage());
        DecodedCache.openOrBuild(file, images, names, 64, 2, () -> { }).close();
        try (DecodedCache rebuilt = DecodedCache.open(file, images, names, 64)) {
            assertEquals(List.of(), rebuilt.verify(images, () -> { }));
        }
    }

    /** A cache file that is a link (the cache on another disk): built where it points, the link kept. */
    @Test
    void aCacheBehindALinkIsBuiltWhereItPoints(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        Path images = dir.resolve("images");
        List<String> names = labels.stream().map(BaidLabel::image).toList();
        Path fast = Files.createDirectories(dir.resolve("fast-disk"));
        Path cacheDir = Files.createDirectories(dir.resolve("cache"));
        Path link = Files.createSymbolicLink(cacheDir.resolve("test-64.bin"), fast.resolve("test-64.bin"));
        DecodedCache.openOrBuild(link, images, names, 64, 2, () -> { }).close();
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.isRegularFile(fast.resolve("test-64.bin")));
        try (DecodedCache cache = DecodedCache.open(link, images, names, 64)) {
            assertEquals(List.of(), cache.verify(images, () -> { }));
        }
    }

    /**
     * A cache build whose file system fills up stops naming the cache file and the file system,
     * leaves no partial file and no cache, and builds once space is freed.
     */
    @org.junit.jupiter.api.Tag("training")
    @Test
    void aCacheBuildOnAFullDiskStopsNamingItAndBuildsOnceFreed(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        Path images = dir.resolve("images");
        List<String> names = labels.stream().map(BaidLabel::image).toList();
        java.util.Optional<org.baid4j.testkit.SmallFileSystem> mounted = org.baid4j.testkit.SmallFileSystem.mount(dir.resolve("fs"), 16);
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted.isPresent(), "mounting a tmpfs is not permitted here: untested");
        try (org.baid4j.testkit.SmallFileSystem fs = mounted.get()) {
            Path file = fs.path().resolve("cache").resolve("test-224.bin");
            Files.createDirectories(file.getParent());
            Path filler = fs.fill(512 * 1024);   // a cache of these images at 224 needs more
            org.baid4j.core.io.OutOfSpaceException full = assertThrows(org.baid4j.core.io.OutOfSpaceException.class,
                    () -> DecodedCache.build(file, images, names, 224, 2, () -> { }));
            assertTrue(full.getMessage().startsWith(file + ": no space left on the file system " + fs.path()), full.getMessage());
            try (java.util.stream.Stream<Path> left = Files.list(file.getParent())) {
                assertEquals(List.of(), left.toList(), "no partial cache, no lock");
            }
            Files.delete(filler);
            DecodedCache.openOrBuild(file, images, names, 224, 2, () -> { }).close();
            try (DecodedCache cache = DecodedCache.open(file, images, names, 224)) {
                assertEquals(List.of(), cache.verify(images, () -> { }));
            }
        }
    }
}

