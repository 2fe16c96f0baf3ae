package org.baid4j.weights;

import org.baid4j.core.io.OutputFile;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state_dict as {@code torch.save} writes it (the zip format of PyTorch 1.6 on): an
 * {@code archive/data.pkl} pickle (protocol 2) of an {@code OrderedDict} from name to tensor, each
 * tensor rebuilt by {@code torch._utils._rebuild_tensor_v2} from a storage in {@code archive/data/N},
 * little-endian, plus {@code archive/version} and {@code archive/byteorder}. {@code torch.load}
 * reads it without baid4j; {@link TorchCheckpoint} reads it back.
 */
public final class TorchCheckpointWriter {
    /** A tensor to write: float32 values, or an int64 scalar (BatchNorm's num_batches_tracked). */
    public record Tensor(long[] shape, float[] floats, Long scalar) {
        public static Tensor of(float[] values, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
            }
            return new Tensor(shape.clone(), values, null);
        }

        public static Tensor scalar(long value) {
            return new Tensor(new long[0], null, value);
        }
    }

    private static final String ARCHIVE = "archive/";

    private TorchCheckpointWriter() {
    }

    /** Writes {@code stateDict} to {@code file}, whole or not at all. */
    public static void write(Path file, Map<String, Tensor> stateDict) throws IOException {
        OutputFile.write(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(0);
                stored(zip, ARCHIVE + "data.pkl", pickle(stateDict));
                int n = 0;
                for (Tensor t : stateDict.values()) {
                    stored(zip, ARCHIVE + "data/" + n++, bytes(t));
                }
                stored(zip, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
                stored(zip, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static byte[] bytes(Tensor t) {
        if (t.floats() != null) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.floats().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.floats());
            return b.array();
        }
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(t.scalar()).array();
    }

    // Pickle protocol 2, the opcodes torch.save's pickler uses for a state_dict.
    private static final int PROTO = 0x80;
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int REDUCE = 'R';
    private static final int MARK = '(';
    private static final int TUPLE = 't';
    private static final int SETITEMS = 'u';
    private static final int BINPERSID = 'Q';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int BINUNICODE = 'X';
    private static final int NEWFALSE = 0x89;
    private static final int STOP = '.';

    private static byte[] pickle(Map<String, Tensor> stateDict) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(PROTO);
        p.write(2);
        global(p, "collections", "OrderedDict");
        p.write(EMPTY_TUPLE);
        p.write(REDUCE);
        p.write(MARK);
        int key = 0;
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            Tensor t = e.getValue();
            unicode(p, e.getKey());
            global(p, "torch._utils", "_rebuild_tensor_v2");
            p.write(MARK);
            // the storage, by persistent id: ('storage', torch.FloatStorage, key, 'cpu', numel)
            p.write(MARK);
            unicode(p, "storage");
            global(p, "torch", t.floats() != null ? "FloatStorage" : "LongStorage");
            unicode(p, Integer.toString(key++));
            unicode(p, "cpu");
            integer(p, t.floats() != null ? t.floats().length : 1);
            p.write(TUPLE);
            p.write(BINPERSID);
            integer(p, 0);   // storage offset
            p.write(MARK);
            for (long d : t.shape()) {
                integer(p, d);
            }
            p.write(TUPLE);
            p.write(MARK);
            for (long s : strides(t.shape())) {
                integer(p, s);
            }
            p.write(TUPLE);
            p.write(NEWFALSE);   // requires_grad
            global(p, "collections", "OrderedDict");   // backward hooks: none
            p.write(EMPTY_TUPLE);
            p.write(REDUCE);
            p.write(TUPLE);
            p.write(REDUCE);
        }
        p.write(SETITEMS);
        p.write(STOP);
        return p.toByteArray();
    }

    /** Row-major (C-contiguous) strides of {@code shape}, in elements. */
    static long[] strides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    private static void global(ByteArrayOutputStream p, String module, String name) {
        p.write(GLOBAL);
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void unicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write(BINUNICODE);
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            p.write(BININT);
            p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            p.write(LONG1);
            p.write(8);
            p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    /** An ordered state_dict to fill. */
    public static Map<String, Tensor> stateDict() {
        return new LinkedHashMap<>();
    }
}
