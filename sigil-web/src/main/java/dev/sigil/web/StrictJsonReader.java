package dev.sigil.web;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.util.Collection;
import java.util.concurrent.TimeoutException;

/**
 * Reads JSON request bodies into records, strictly. JSON-B alone converts {@code 7} into
 * {@code "7"} and {@code 1.5} into {@code 1}, and reads bodies of any size; here
 * <ul>
 * <li>a body over {@value #MAX_BYTES} bytes is refused with 413 before it is parsed;</li>
 * <li>a body that is not valid UTF-8 is a 400 (not silently patched with replacement characters);</li>
 * <li>so is one nested deeper than {@value #MAX_DEPTH} levels;</li>
 * <li>anything but exactly one JSON object is a 400 (text after it too), and so is an object
 * that repeats a member, or a string that holds half a surrogate pair or the NUL character
 * (PostgreSQL stores no NUL: the database would fail, a 500);</li>
 * <li>each member that a record component names must have that component's JSON type (string,
 * number, boolean or array; a list of strings holds strings only), else 400 naming the member.
 * Missing members and nulls are left to Bean Validation;</li>
 * <li>a number the parser cannot hold (over 1,100 characters, or an exponent beyond an int) is a
 * 400 too.</li>
 * </ul>
 * An empty body or a bare {@code null} reads as null, so {@code @NotNull} on the parameter
 * reports it.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class StrictJsonReader implements MessageBodyReader<Record> {

    static final int MAX_BYTES = 64 * 1024;

    /** The bodies are flat objects; a little room for members the service ignores. */
    static final int MAX_DEPTH = 16;

    /** Made on first use, so that the checks run (and are tested) without a JSON-B implementation. */
    private static final class Binding {
        static final Jsonb JSONB = JsonbBuilder.create();
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type.isRecord();
    }

    @Override
    public Record readFrom(
            Class<Record> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream entity) {
        JsonObject json = object(type, entity);
        return json == null ? null : Binding.JSONB.fromJson(json.toString(), type);
    }

    /** The body as the object a record of {@code type} is read from, or null for none, after every check above. */
    static JsonObject object(Class<? extends Record> type, InputStream entity) {
        byte[] body;
        try {
            body = entity.readNBytes(MAX_BYTES + 1);
        } catch (IOException unread) {
            // the container's read timeout (a client that sends its body too slowly), or a connection lost
            if (unread.getCause() instanceof TimeoutException) {
                throw new ApiException(408, "The request body did not arrive in time");
            }
            throw new ApiException(400, "The request body could not be read");
        }
        if (body.length > MAX_BYTES) {
            throw new ApiException(413, "Request body too large (at most " + MAX_BYTES + " bytes)");
        }
        String text;
        try {
            text = Utf8.decode(body);
        } catch (CharacterCodingException notUtf8) {
            throw new ApiException(400, "The request body must be UTF-8");
        }
        if (text.isBlank()) {
            return null;
        }
        if (Jsons.nestedDeeperThan(text, MAX_DEPTH)) {
            throw new ApiException(400, "The request body nests too deeply (at most " + MAX_DEPTH + " levels)");
        }
        JsonObject json;
        try {
            JsonValue value = Jsons.readOne(text);
            if (value == JsonValue.NULL) {
                return null;
            }
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ApiException(400, "The request body must be a JSON object");
            }
            json = value.asJsonObject();
        } catch (JsonException | IllegalStateException malformed) {
            throw new ApiException(400, MalformedBodyMapper.DETAIL);
        }
        if (Jsons.hasLoneSurrogate(json)) {
            throw new ApiException(
                    400, "The request body must be Unicode text: a \\u escape names half a surrogate pair");
        }
        if (Jsons.hasNul(json)) {
            throw new ApiException(400, "The request body must not contain the NUL character (\\u0000)");
        }
        for (RecordComponent component : type.getRecordComponents()) {
            JsonValue value = json.get(component.getName());
            if (value != null && value != JsonValue.NULL && !matches(component.getType(), value)) {
                throw ApiException.invalidField(component.getName(), "must be a JSON " + jsonType(component.getType()));
            }
            if (value instanceof JsonArray array
                    && listOfStrings(component.getGenericType())
                    && !array.stream().allMatch(item -> item instanceof JsonString || item == JsonValue.NULL)) {
                // JSON-B would turn 1 or false into "1" or "false"; a null is left to Bean Validation
                throw ApiException.invalidField(component.getName(), "must be a JSON array of strings");
            }
        }
        return json;
    }

    /** A {@code List<String>} (or another collection of strings) component. */
    static boolean listOfStrings(Type type) {
        return type instanceof ParameterizedType generic
                && generic.getRawType() instanceof Class<?> raw
                && Collection.class.isAssignableFrom(raw)
                && generic.getActualTypeArguments().length == 1
                && generic.getActualTypeArguments()[0] == String.class;
    }

    static boolean matches(Class<?> type, JsonValue value) {
        return switch (jsonType(type)) {
            case "string" -> value instanceof JsonString;
            case "number" -> value instanceof JsonNumber;
            case "boolean" -> value == JsonValue.TRUE || value == JsonValue.FALSE;
            case "array" -> value instanceof JsonArray;
            default -> true;
        };
    }

    static String jsonType(Class<?> type) {
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        if (Number.class.isAssignableFrom(type)
                || type == int.class
                || type == long.class
                || type == double.class
                || type == BigDecimal.class
                || type == BigInteger.class) {
            return "number";
        }
        return "value";
    }
}
