package org.baid4j.weights;

import java.io.EOFException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A pickle virtual machine for what {@code torch.save} writes (protocol 2, and the opcodes of
 * protocols up to 4 for files re-saved by other tools). Python values become Java ones: dict and
 * OrderedDict to {@link LinkedHashMap}, list to {@link ArrayList}, tuple to an unmodifiable
 * {@link List}, str to String, int to Long (or BigInteger), float to Double, None to null. Tensors
 * are rebuilt through {@code torch._utils._rebuild_tensor_v2}; any other class becomes a
 * {@link Pickle.Instance}. Nothing is executed.
 */
final class Unpickler {
    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final Function<Pickle.PersistentStorage, TorchStorage> storages;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    Unpickler(byte[] pickle, Function<Pickle.PersistentStorage, TorchStorage> storages) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.storages = storages;
    }

    Object load() throws CheckpointFormatException, EOFException {
        try {
            while (true) {
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80: in.get(); break;                                   // PROTO
                    case 0x95: in.getLong(); break;                               // FRAME
                    case '.': return pop();                                       // STOP
                    case '(': marks.add(stack.size()); break;                     // MARK
                    case '0': pop(); break;                                       // POP
                    case '1': popMark(); break;                                   // POP_MARK
                    case '2': push(peek()); break;                                // DUP
                    case 'N': push(null); break;
                    case 0x88: push(Boolean.TRUE); break;
                    case 0x89: push(Boolean.FALSE); break;
                    case 'J': push((long) in.getInt()); break;                    // BININT
                    case 'K': push((long) (in.get() & 0xFF)); break;              // BININT1
                    case 'M': push((long) (in.getShort() & 0xFFFF)); break;       // BININT2
                    case 0x8a: push(longOf(bytes(in.get() & 0xFF))); break;       // LONG1
                    case 0x8b: push(longOf(bytes(in.getInt()))); break;           // LONG4
                    case 'G': push(in.order(ByteOrder.BIG_ENDIAN).getDouble()); in.order(ByteOrder.LITTLE_ENDIAN); break;
                    case 'I': push(textInt(line())); break;
                    case 'L': push(textLong(line())); break;
                    case 'F': push(Double.parseDouble(line())); break;
                    case 'X': push(utf8(bytes(in.getInt()))); break;              // BINUNICODE
                    case 0x8c: push(utf8(bytes(in.get() & 0xFF))); break;         // SHORT_BINUNICODE
                    case 0x8d: push(utf8(bytes(Math.toIntExact(in.getLong())))); break;
                    case 'V': push(line()); break;                                // UNICODE (raw)
                    case 'T': push(latin1(bytes(in.getInt()))); break;            // BINSTRING
                    case 'U': push(latin1(bytes(in.get() & 0xFF))); break;        // SHORT_BINSTRING
                    case 'S': push(unquote(line())); break;                       // STRING
                    case 'B': push(bytes(in.getInt())); break;                    // BINBYTES
                    case 'C': push(bytes(in.get() & 0xFF)); break;                // SHORT_BINBYTES
                    case 0x8e: push(bytes(Math.toIntExact(in.getLong()))); break;
                    case ')': push(List.of()); break;                             // EMPTY_TUPLE
                    case 't': push(tuple(popMark())); break;
                    case 0x85: push(tuple(List.of(pop()))); break;
                    case 0x86: { Object b = pop(); Object a = pop(); push(tuple(Arrays.asList(a, b))); break; }
                    case 0x87: { Object c = pop(); Object b = pop(); Object a = pop(); push(tuple(Arrays.asList(a, b, c))); break; }
                    case ']': push(new ArrayList<>()); break;                     // EMPTY_LIST
                    case 'l': push(new ArrayList<>(popMark())); break;            // LIST
                    case 'a': { Object v = pop(); list(peek()).add(v); break; }   // APPEND
                    case 'e': { List<Object> items = popMark(); list(peek()).addAll(items); break; }
                    case '}': push(new LinkedHashMap<>()); break;                 // EMPTY_DICT
                    case 'd': push(dictOf(popMark())); break;                     // DICT
                    case 's': { Object v = pop(); Object k = pop(); dict(peek()).put(k, v); break; }
                    case 'u': { List<Object> kv = popMark(); Map<Object, Object> d = dict(peek());
                                for (int i = 0; i + 1 < kv.size(); i += 2) { d.put(kv.get(i), kv.get(i + 1)); } break; }
                    case 0x8f: push(new LinkedHashSet<>()); break;                // EMPTY_SET
                    case 0x90: { List<Object> items = popMark(); set(peek()).addAll(items); break; }
                    case 0x91: push(new LinkedHashSet<>(popMark())); break;       // FROZENSET
                    case 'c': push(new Pickle.Global(line(), line())); break;     // GLOBAL
                    case 0x93: { String name = (String) pop(); String module = (String) pop();
                                 push(new Pickle.Global(module, name)); break; } // STACK_GLOBAL
                    case 'R': { List<?> args = (List<?>) pop(); push(call(pop(), args)); break; }
                    case 0x81: { List<?> args = (List<?>) pop(); push(call(pop(), args)); break; } // NEWOBJ
                    case 0x92: { pop(); List<?> args = (List<?>) pop(); push(call(pop(), args)); break; }
                    case 'b': { Object state = pop(); build(peek(), state); break; } // BUILD
                    case 'Q': push(persistent(pop())); break;                     // BINPERSID
                    case 'q': memo.put((long) (in.get() & 0xFF), peek()); break;  // BINPUT
                    case 'r': memo.put((long) in.getInt() & 0xFFFFFFFFL, peek()); break;
                    case 'p': memo.put(Long.parseLong(line()), peek()); break;
                    case 0x94: memo.put((long) memo.size(), peek()); break;       // MEMOIZE
                    case 'h': push(memoGet(in.get() & 0xFF)); break;              // BINGET
                    case 'j': push(memoGet(in.getInt() & 0xFFFFFFFFL)); break;
                    case 'g': push(memoGet(Long.parseLong(line()))); break;
                    default:
                        throw new CheckpointFormatException(String.format(
                                "unsupported pickle opcode 0x%02x at byte %d", op, in.position() - 1));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new EOFException("pickle data ends early at byte " + in.position());
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new CheckpointFormatException("malformed pickle near byte " + in.position() + ": " + e.getMessage(), e);
        }
    }

    private Object call(Object callable, List<?> args) throws CheckpointFormatException {
        if (!(callable instanceof Pickle.Global)) {
            throw new CheckpointFormatException("pickle calls a non-class object: " + callable);
        }
        Pickle.Global g = (Pickle.Global) callable;
        switch (g.toString()) {
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return rebuildTensor(args);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return args.get(0);
            case "collections.OrderedDict":
                return args.isEmpty() ? new LinkedHashMap<>() : dictOfPairs((List<?>) args.get(0));
            case "builtins.set":
            case "__builtin__.set":
                return args.isEmpty() ? new LinkedHashSet<>() : new LinkedHashSet<>((List<?>) args.get(0));
            default:
                return new Pickle.Instance(g, new ArrayList<>(args));
        }
    }

    private TorchTensor rebuildTensor(List<?> args) throws CheckpointFormatException {
        if (!(args.get(0) instanceof TorchStorage)) {
            throw new CheckpointFormatException("tensor without a storage: " + args.get(0));
        }
        TorchStorage storage = (TorchStorage) args.get(0);
        long offset = (Long) args.get(1);
        long[] shape = longs((List<?>) args.get(2));
        long[] strides = longs((List<?>) args.get(3));
        if (shape.length != strides.length) {
            throw new CheckpointFormatException("tensor with " + shape.length + " sizes but " + strides.length + " strides");
        }
        TorchTensor t = new TorchTensor(storage, offset, shape, strides);
        if (t.numel() > 0 && (offset < 0 || t.lastElement() >= storage.elements())) {
            throw new CheckpointFormatException("tensor " + Arrays.toString(shape) + " at offset " + offset
                    + " reaches past its storage '" + storage.key() + "' of " + storage.elements() + " elements");
        }
        return t;
    }

    private Object persistent(Object pid) throws CheckpointFormatException {
        if (!(pid instanceof List) || ((List<?>) pid).size() < 5 || !"storage".equals(((List<?>) pid).get(0))) {
            throw new CheckpointFormatException("unknown persistent id in pickle: " + pid);
        }
        List<?> t = (List<?>) pid;
        Pickle.PersistentStorage ps = new Pickle.PersistentStorage((Pickle.Global) t.get(1), String.valueOf(t.get(2)),
                String.valueOf(t.get(3)), ((Number) t.get(4)).longValue());
        return storages.apply(ps);
    }

    private static void build(Object target, Object state) {
        if (target instanceof Pickle.Instance) {
            ((Pickle.Instance) target).setState(state);
        }
        // OrderedDict, tensors (_metadata, hooks): their state carries nothing this reader needs.
    }

    private static long[] longs(List<?> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).longValue();
        }
        return out;
    }

    private static List<Object> tuple(List<Object> items) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static Map<Object, Object> dictOf(List<Object> kv) {
        Map<Object, Object> d = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            d.put(kv.get(i), kv.get(i + 1));
        }
        return d;
    }

    private static Map<Object, Object> dictOfPairs(List<?> pairs) {
        Map<Object, Object> d = new LinkedHashMap<>();
        for (Object p : pairs) {
            List<?> kv = (List<?>) p;
            d.put(kv.get(0), kv.get(1));
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> set(Object o) {
        return (Set<Object>) o;
    }

    private Object memoGet(long key) throws CheckpointFormatException {
        if (!memo.containsKey(key)) {
            throw new CheckpointFormatException("pickle refers to memo entry " + key + " that was never stored");
        }
        return memo.get(key);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        int at = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private byte[] bytes(int n) {
        if (n < 0 || n > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            sb.append((char) (b & 0xFF));
        }
    }

    private static Object longOf(byte[] littleEndian) {
        if (littleEndian.length == 0) {
            return 0L;
        }
        byte[] be = new byte[littleEndian.length];
        for (int i = 0; i < be.length; i++) {
            be[i] = littleEndian[littleEndian.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object textInt(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        return Long.parseLong(s);
    }

    private static Object textLong(String s) {
        String digits = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        BigInteger v = new BigInteger(digits);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
