package org.baid4j.data.pipeline;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutOfSpaceException;
import org.baid4j.core.io.OutputFile;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.RgbImage;
import org.baid4j.data.SaanTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * The resized images of a split in one packed file, memory-mapped: decoding 26 GB of JPEGs every
 * epoch is waste. Layout: a header (magic, version, image side, count, a completion flag), an
 * index (per image: name, file size and modification time at build time, whether it decoded),
 * then size x size x 3 uint8 per image at a 4 KiB-aligned offset.
 *
 * <p>Opening checks the file against the request: a truncated file, an interrupted build, an image
 * missing from the index or changed on disk since the build make the cache unusable, with the
 * reason; {@link #openOrBuild} then rebuilds it. A build writes a temporary file and renames it
 * when complete, so a killed build never leaves a cache that looks whole.
 */
public final class DecodedCache implements ResizedImages, java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DecodedCache.class);
    private static final byte[] MAGIC = "BAID4JC1".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;   // 2: a CRC-32C of each source file and of its pixels
    private static final int HEADER_BYTES = 64;
    private static final long CHUNK_BYTES = 1L << 30;

    /** Why a cache file cannot be used for a request. */
    public static final class UnusableCacheException extends IOException {
        public UnusableCacheException(String message) {
            super(message);
        }
    }

    private record Entry(int slot, long fileSize, long modified, boolean present, int sourceCrc, int pixelsCrc) {
    }

    private final Path file;
    private final int size;
    private final int slotBytes;
    private final Map<String, Entry> index;
    private final long dataOffset;
    private final FileChannel channel;
    private final List<MappedByteBuffer> chunks = new ArrayList<>();
    private final int slotsPerChunk;

    private DecodedCache(Path file, int size, Map<String, Entry> index, long dataOffset, FileChannel channel)
            throws IOException {
        this.file = file;
        this.size = size;
        this.slotBytes = 3 * size * size;
        this.index = index;
        this.dataOffset = dataOffset;
        this.channel = channel;
        this.slotsPerChunk = (int) Math.max(1, CHUNK_BYTES / slotBytes);
        long slots = index.size();
        for (long first = 0; first < slots; first += slotsPerChunk) {
            long n = Math.min(slotsPerChunk, slots - first);
            chunks.add(channel.map(FileChannel.MapMode.READ_ONLY, dataOffset + first * slotBytes, n * slotBytes));
        }
    }

    /** The cache at {@code file} if it holds every image of {@code names}, fresh, at {@code size}. */
    public static DecodedCache open(Path file, Path imagesDir, List<String> names, int size) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UnusableCacheException(file + ": no cache file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long length = channel.size();
            ByteBuffer header = read(channel, 0, HEADER_BYTES, file);
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new UnusableCacheException(file + ": not a baid4j image cache");
            }
            int version = header.getInt();
            int side = header.getInt();
            int count = header.getInt();
            boolean complete = header.get() == 1;
            header.position(24);
            long dataOffset = header.getLong();
            long indexLength = header.getLong();
            if (version != VERSION) {
                throw new UnusableCacheException(file + ": cache format version " + version + ", this build reads " + VERSION);
            }
            if (side != size) {
                throw new UnusableCacheException(file + ": holds " + side + "x" + side + " images, " + size + " wanted");
            }
            long expected = dataOffset + (long) count * 3 * side * side;
            if (length < expected) {
                throw new UnusableCacheException(file + ": truncated (" + length + " of " + expected + " bytes)");
            }
            if (length > expected) {
                throw new UnusableCacheException(file + ": " + (length - expected) + " bytes more than a cache of " + count
                        + " images holds (appended to, or damaged)");
            }
            if (!complete) {
                throw new UnusableCacheException(file + ": incomplete (its build was interrupted)");
            }
            Map<String, Entry> index = readIndex(read(channel, HEADER_BYTES, (int) indexLength, file), count);
            List<String> stale = new ArrayList<>();
            for (String name : names) {
                Entry e = index.get(name);
                if (e == null) {
                    stale.add(name + " (not in the cache)");
                } else {
                    Path image = imagesDir.resolve(name);
                    if (Files.exists(image) && (Files.size(image) != e.fileSize()
                            || Files.getLastModifiedTime(image).toMillis() != e.modified())) {
                        stale.add(name + " (changed on disk since the cache was built)");
                    }
                }
                if (stale.size() > 3) {
                    break;
                }
            }
            if (!stale.isEmpty()) {
                throw new UnusableCacheException(file + ": stale for this split: " + String.join(", ", stale)
                        + (stale.size() > 3 ? ", ..." : ""));
            }
            return new DecodedCache(file, size, index, dataOffset, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** {@link #open}, or a rebuild when the file is missing or unusable (the reason is logged). */
    public static DecodedCache openOrBuild(Path file, Path imagesDir, List<String> names, int size, int threads,
                                           Runnable progress) throws IOException {
        try {
            return open(file, imagesDir, names, size);
        } catch (UnusableCacheException e) {
            if (Files.exists(file)) {
                LOG.warn("rebuilding the image cache: {}", e.getMessage());
            } else {
                LOG.info("building the image cache {} ({} images at {}x{})", file, names.size(), size, size);
            }
        }
        build(file, imagesDir, names, size, threads, progress);
        return open(file, imagesDir, names, size);
    }

    /**
     * Decodes and resizes every image of {@code names} into a new cache at {@code file}. Images
     * that fail are recorded as absent (asking the cache for one is an error naming it); the build
     * itself fails only on I/O errors of the cache file.
     */
    public static void build(Path file, Path imagesDir, List<String> names, int size, int threads, Runnable progress)
            throws IOException {
        try (FolderLock lock = FolderLock.acquireFile(file)) {
            buildLocked(file, imagesDir, names, size, threads, progress);
        }
    }

    private static void buildLocked(Path file, Path imagesDir, List<String> names, int size, int threads,
                                    Runnable progress) throws IOException {
        int slotBytes = 3 * size * size;
        SaanTransform transform = new SaanTransform(size);
        List<byte[]> encodedNames = new ArrayList<>();
        long indexLength = 0;
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            encodedNames.add(b);
            indexLength += 2 + b.length + 8 + 8 + 1 + 4 + 4;
        }
        long dataOffset = align(HEADER_BYTES + indexLength, 4096);
        Path partial = file.resolveSibling(file.getFileName() + ".building");
        int[] sourceCrcs = new int[names.size()];
        int[] pixelCrcs = new int[names.size()];
        long[] sizes = new long[names.size()];
        long[] modified = new long[names.size()];
        boolean[] present = new boolean[names.size()];
        Map<String, String> failures = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            out.truncate(0);
            out.write(ByteBuffer.wrap(new byte[1]), dataOffset + (long) names.size() * slotBytes - 1);
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                final int slot = i;
                jobs.add(pool.submit(() -> {
                    String name = names.get(slot);
                    Path image = imagesDir.resolve(name);
                    try {
                        sizes[slot] = Files.size(image);
                        modified[slot] = Files.getLastModifiedTime(image).toMillis();
                        byte[] encoded = ImageDecoder.read(image);   // read once: checksummed, then decoded
                        sourceCrcs[slot] = crc(encoded);
                        RgbImage img = transform.resize(image, encoded);
                        pixelCrcs[slot] = crc(img.rgb());
                        ByteBuffer data = ByteBuffer.wrap(img.rgb());
                        long at = dataOffset + (long) slot * slotBytes;
                        while (data.hasRemaining()) {
                            at += out.write(data, at);
                        }
                        present[slot] = true;
                    } catch (ImageDecodeException e) {
                        failures.put(name, e.getMessage());
                    } catch (IOException e) {
                        if (OutOfSpaceException.isOutOfSpace(e)) {
                            throw new java.io.UncheckedIOException(e);   // the cache's disk, not the image: the build stops
                        }
                        failures.put(name, image + ": " + e.getMessage());
                    }
                    progress.run();
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            ByteBuffer indexBytes = ByteBuffer.allocate((int) indexLength);
            for (int i = 0; i < names.size(); i++) {
                indexBytes.putShort((short) encodedNames.get(i).length).put(encodedNames.get(i))
                        .putLong(sizes[i]).putLong(modified[i]).put((byte) (present[i] ? 1 : 0))
                        .putInt(sourceCrcs[i]).putInt(pixelCrcs[i]);
            }
            indexBytes.flip();
            writeFully(out, indexBytes, HEADER_BYTES);
            writeFully(out, header(size, names.size(), false, dataOffset, indexLength), 0);
            out.force(true);
            // Only now is the cache whole: mark it so, then give it its name.
            writeFully(out, header(size, names.size(), true, dataOffset, indexLength), 0);
            out.force(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(partial);
            throw new IOException("cache build interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Files.deleteIfExists(partial);
            if (e.getCause() instanceof java.io.UncheckedIOException u) {
                throw OutOfSpaceException.named(u.getCause(), file);
            }
            throw new IOException("cache build failed: " + e.getCause(), e.getCause());
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw OutOfSpaceException.named(e, file);
        } finally {
            pool.shutdownNow();
        }
        OutputFile.moveInto(partial, file);
        if (!failures.isEmpty()) {
            LOG.warn("{} of {} images could not be decoded into the cache (e.g. {})", failures.size(), names.size(),
                    failures.values().iterator().next());
        }
    }

    /** An entry that fails {@link #verify}, with every reason it fails. */
    public record Damaged(String entry, List<String> problems) {
    }

    /**
     * Checks every entry against the checksums stored when it was built: the source image's bytes
     * (an edit that kept the size and the modification time) and the cached pixels (damage to the
     * cache file). Returns the entries that fail, each once with all its problems; empty when all hold.
     */
    public List<Damaged> verify(Path imagesDir, Runnable progress) throws IOException {
        List<Damaged> damaged = new ArrayList<>();
        List<Map.Entry<String, Entry>> entries = new ArrayList<>(index.entrySet());
        entries.sort(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(Entry::slot)));
        for (Map.Entry<String, Entry> en : entries) {
            Entry e = en.getValue();
            if (e.present()) {
                List<String> problems = new ArrayList<>();
                Path image = imagesDir.resolve(en.getKey());
                if (!Files.exists(image)) {
                    problems.add(image + ": missing (it was cached)");
                } else if (crc(Files.readAllBytes(image)) != e.sourceCrc()) {
                    problems.add(image + ": changed since the cache was built (its content, whatever its size and time)");
                }
                byte[] rgb = new byte[slotBytes];
                chunks.get(e.slot() / slotsPerChunk).get((e.slot() % slotsPerChunk) * slotBytes, rgb);
                if (crc(rgb) != e.pixelsCrc()) {
                    problems.add(file + ": the pixels of " + en.getKey() + " are damaged");
                }
                if (!problems.isEmpty()) {
                    damaged.add(new Damaged(en.getKey(), List.copyOf(problems)));
                }
            }
            progress.run();
        }
        return damaged;
    }

    private static int crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    /** Names in the cache. */
    public int entryCount() {
        return index.size();
    }

    @Override
    public RgbImage resized(String name) throws ImageDecodeException {
        Entry e = index.get(name);
        if (e == null || !e.present()) {
            throw new ImageDecodeException(Path.of(name), e == null ? "not in the image cache " + file
                    : "could not be decoded when the cache " + file + " was built");
        }
        MappedByteBuffer chunk = chunks.get(e.slot() / slotsPerChunk);
        byte[] rgb = new byte[slotBytes];
        chunk.get((e.slot() % slotsPerChunk) * slotBytes, rgb);
        return new RgbImage(size, size, rgb);
    }

    @Override
    public int size() {
        return size;
    }

    /** Number of images in the cache that decoded. */
    public long presentCount() {
        return index.values().stream().filter(Entry::present).count();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        chunks.clear();
        channel.close();
    }

    private static ByteBuffer header(int size, int count, boolean complete, long dataOffset, long indexLength) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
        h.put(MAGIC).putInt(VERSION).putInt(size).putInt(count).put((byte) (complete ? 1 : 0));
        h.position(24);
        h.putLong(dataOffset).putLong(indexLength);
        h.position(0);
        return h;
    }

    private static Map<String, Entry> readIndex(ByteBuffer b, int count) {
        Map<String, Entry> index = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[b.getShort() & 0xFFFF];
            b.get(name);
            index.put(new String(name, StandardCharsets.UTF_8), new Entry(i, b.getLong(), b.getLong(), b.get() == 1,
                    b.getInt(), b.getInt()));
        }
        return index;
    }

    private static ByteBuffer read(FileChannel channel, long at, int length, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (channel.read(b, at + b.position()) < 0) {
                throw new UnusableCacheException(file + ": truncated (ends inside its header or index)");
            }
        }
        b.flip();
        return b;
    }

    private static void writeFully(FileChannel out, ByteBuffer data, long at) throws IOException {
        while (data.hasRemaining()) {
            at += out.write(data, at);
        }
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
