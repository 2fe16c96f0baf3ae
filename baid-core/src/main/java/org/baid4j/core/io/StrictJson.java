package org.baid4j.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * How baid4j reads the JSON files people and earlier runs give it (search spaces, run and sweep
 * state, model cards): strictly. A key given twice, content after the document, a number written as
 * a string, null or a fraction where a number or a whole number belongs, a number too large for a
 * double (1e400 would read as Infinity): each is an error naming the file, the problem and where it
 * is, never a value read loosely. Fields a newer version added are ignored.
 */
public final class StrictJson {
    /** The reader and writer (indented) of every such file. */
    public static final ObjectMapper MAPPER = mapper();

    private StrictJson() {
    }

    private static ObjectMapper mapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    /** The document in {@code file}; a damaged one is an error naming the file, the problem and where. */
    public static JsonNode read(Path file) throws IOException {
        try {
            return nonEmpty(MAPPER.readTree(file.toFile()), file.toString());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": damaged JSON (" + problem(e) + ")", e);
        }
    }

    /** The document in {@code in}, named {@code name} in errors. */
    public static JsonNode read(InputStream in, String name) throws IOException {
        try {
            return nonEmpty(MAPPER.readTree(in), name);
        } catch (JsonProcessingException e) {
            throw new IOException(name + ": damaged JSON (" + problem(e) + ")", e);
        }
    }

    /** {@link #read(Path)} as {@code type}; fields of the wrong kind are named as well. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        JsonNode node = read(file);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a usable " + type.getSimpleName() + " (" + problem(e) + ")", e);
        }
    }

    /** {@code field} of {@code object}: a finite JSON number (not a string, not null, not out of range). */
    public static double number(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" takes a number, got " + shown(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" is out of range: " + v.asText());
        }
        return d;
    }

    /** {@code field} of {@code object}: true or false, or {@code absent} when it is not there. */
    public static boolean bool(JsonNode object, String field, boolean absent, String where) {
        JsonNode v = object.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" takes true or false, got " + shown(v));
        }
        return v.booleanValue();
    }

    /** {@code field} of {@code object}: a string. */
    public static String text(JsonNode object, String field, String where) {
        JsonNode v = object.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" takes a string, got " + shown(v));
        }
        return v.textValue();
    }

    /** Jackson's message without its source-location internals, and where in the file. */
    public static String problem(JsonProcessingException e) {
        String what = e.getOriginalMessage().lines().findFirst().orElse("")
                .replaceAll("\\s*\\(?\\s*(start marker at )?\\[Source:[^\\]]*\\]\\)?", "");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? what : what + ", at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static JsonNode nonEmpty(JsonNode node, String name) throws IOException {
        if (node == null || node.isMissingNode()) {
            throw new IOException(name + ": empty (no JSON in it)");
        }
        return node;
    }

    private static String shown(JsonNode v) {
        return v == null ? "nothing" : v.isTextual() ? "\"" + v.textValue() + "\"" : v.toString();
    }
}
