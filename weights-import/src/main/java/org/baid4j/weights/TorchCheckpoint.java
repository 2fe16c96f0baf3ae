package org.baid4j.weights;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A file written by {@code torch.save} (PyTorch 1.6 and later): a zip holding
 * {@code <name>/data.pkl} (the pickled object, tensors as persistent ids) and one raw little-endian
 * storage per {@code <name>/data/<key>}. Read in Java, without Python. Every failure names the file.
 */
public final class TorchCheckpoint {
    /** Top-level keys under which training scripts usually nest the state_dict. */
    private static final List<String> STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model", "net",
            "network", "weights");

    private final Path file;
    private final Object root;

    private TorchCheckpoint(Path file, Object root) {
        this.file = file;
        this.root = root;
    }

    public static TorchCheckpoint read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new CheckpointFormatException(file + ": a folder, not a checkpoint file");
        }
        checkMagic(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(zip, file);
            ByteOrder order = byteOrder(zip, prefix);
            byte[] pickle = readEntry(zip, zip.getEntry(prefix + "data.pkl"), file);
            Map<String, TorchStorage> loaded = new HashMap<>();
            StorageLoader loader = new StorageLoader(zip, prefix, order, file, loaded);
            Object root;
            try {
                root = new Unpickler(pickle, loader).load();
            } catch (EOFException e) {
                throw new CheckpointFormatException(file + ": truncated checkpoint (" + e.getMessage() + ")", e);
            } catch (CheckpointFormatException e) {
                throw new CheckpointFormatException(file + ": " + e.getMessage(), e);
            } catch (UncheckedCheckpointException e) {
                throw e.getCause();
            } catch (RuntimeException | StackOverflowError e) {
                // Whatever a damaged pickle program makes the reader do, it is this file's damage.
                throw new CheckpointFormatException(file + ": damaged pickle data (" + e + ")", e);
            }
            return new TorchCheckpoint(file, root);
        } catch (ZipException e) {
            throw new CheckpointFormatException(file + ": damaged or truncated checkpoint zip (" + e.getMessage() + ")", e);
        }
    }

    public Path file() {
        return file;
    }

    /** The unpickled object: usually a state_dict, or a dict that holds one. */
    public Object root() {
        return root;
    }

    /**
     * The tensors of the checkpoint's state_dict, in file order: the root itself when it maps names
     * to tensors, or the dict under "state_dict", "model", ... when the root is a training checkpoint.
     */
    public Map<String, TorchTensor> stateDict() throws CheckpointFormatException {
        if (root instanceof Map) {
            // A training checkpoint may hold loose tensors beside its state_dict: the nested one wins.
            for (String key : STATE_DICT_KEYS) {
                Map<String, TorchTensor> nested = tensorsOf(((Map<?, ?>) root).get(key));
                if (nested != null && !nested.isEmpty()) {
                    return nested;
                }
            }
            Map<String, TorchTensor> direct = tensorsOf(root);
            if (!direct.isEmpty()) {
                return direct;
            }
            throw new CheckpointFormatException(file + ": no state_dict found; top-level keys are "
                    + ((Map<?, ?>) root).keySet());
        }
        throw new CheckpointFormatException(file + ": holds a " + describe(root) + ", not a state_dict");
    }

    /** The entries of {@code o} that are tensors, if {@code o} is a dict keyed by strings; else null. */
    private static Map<String, TorchTensor> tensorsOf(Object o) {
        if (!(o instanceof Map)) {
            return null;
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            if (e.getKey() instanceof String && e.getValue() instanceof TorchTensor) {
                out.put((String) e.getKey(), (TorchTensor) e.getValue());
            }
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private static void checkMagic(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream s = Files.newInputStream(file)) {
            n = s.readNBytes(head, 0, 4);
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return;
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x80) {
            throw new CheckpointFormatException(file + ": legacy torch.save format (PyTorch before 1.6) is not supported;"
                    + " re-save it with torch.save(obj, path) under PyTorch 1.6 or later");
        }
        throw new CheckpointFormatException(file + ": not a PyTorch checkpoint (expected the zip written by torch.save)");
    }

    private static String archivePrefix(ZipFile zip, Path file) throws CheckpointFormatException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new CheckpointFormatException(file + ": a zip, but not a torch.save checkpoint (no data.pkl)");
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;   // writers before the byteorder record were little-endian
        }
        try (InputStream s = zip.getInputStream(e)) {
            String order = new String(s.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return "big".equals(order) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry entry, Path file) throws IOException {
        try (InputStream s = zip.getInputStream(entry)) {
            return s.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new CheckpointFormatException(file + ": entry " + entry.getName() + " is damaged or truncated ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Resolves persistent ids to storages, each read once. */
    private static final class StorageLoader implements java.util.function.Function<Pickle.PersistentStorage, TorchStorage> {
        private final ZipFile zip;
        private final String prefix;
        private final ByteOrder order;
        private final Path file;
        private final Map<String, TorchStorage> loaded;

        StorageLoader(ZipFile zip, String prefix, ByteOrder order, Path file, Map<String, TorchStorage> loaded) {
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
            this.file = file;
            this.loaded = loaded;
        }

        @Override
        public TorchStorage apply(Pickle.PersistentStorage id) {
            return loaded.computeIfAbsent(id.key(), key -> {
                try {
                    return load(id);
                } catch (CheckpointFormatException e) {
                    throw new UncheckedCheckpointException(e);
                } catch (IOException e) {
                    throw new UncheckedCheckpointException(new CheckpointFormatException(file + ": " + e.getMessage(), e));
                }
            });
        }

        private TorchStorage load(Pickle.PersistentStorage id) throws IOException {
            TorchDType dtype = TorchDType.ofStorageClass(id.type().name());
            if (dtype == null) {
                throw new CheckpointFormatException(file + ": storage '" + id.key() + "' has unsupported type "
                        + id.type());
            }
            ZipEntry entry = zip.getEntry(prefix + "data/" + id.key());
            if (entry == null) {
                throw new CheckpointFormatException(file + ": storage data/" + id.key()
                        + " is missing (truncated checkpoint?)");
            }
            byte[] data = readEntry(zip, entry, file);
            long needed = id.elements() * dtype.bytes();
            if (data.length < needed) {
                throw new CheckpointFormatException(file + ": storage data/" + id.key() + " holds " + data.length
                        + " bytes, " + needed + " expected (truncated checkpoint?)");
            }
            return new TorchStorage(dtype, id.key(), id.elements(), ByteBuffer.wrap(data).order(order));
        }
    }

    /** Carries a checked failure out of the storage callback. */
    private static final class UncheckedCheckpointException extends RuntimeException {
        UncheckedCheckpointException(CheckpointFormatException cause) {
            super(cause);
        }

        @Override
        public synchronized CheckpointFormatException getCause() {
            return (CheckpointFormatException) super.getCause();
        }
    }
}
