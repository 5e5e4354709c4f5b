package dev.sigil.web;

import jakarta.json.JsonConfig;
import jakarta.json.JsonException;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * The one JSON-P provider of the services. Each static {@code jakarta.json.JSON.create…} call
 * looks the provider up again through the service loader, which scans the class path: profiled,
 * that lookup was the largest single cost of a request. Looked up once here instead.
 */
public final class Jsons {

    public static final JsonProvider JSON = JsonProvider.provider();

    /**
     * Readers for untrusted input: a repeated member is an error rather than "the last one
     * wins", since another parser of the same text (a proxy, a log tool, a JWT library) may keep
     * the first one and so see another request.
     */
    public static final JsonReaderFactory STRICT =
            JSON.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

    /**
     * Reads JSON text that must be exactly one value with the {@link #STRICT} reader. The reader
     * alone stops after the first value and ignores what follows, so {@code {"a":1} {"a":2}} or
     * {@code {...}garbage} would read as the first object while another parser of the same text
     * refuses it or reads something else; here any text after the value but white space is an
     * error too.
     *
     * @throws JsonException for text that is not exactly one JSON value, or that holds a number
     *     no {@code BigDecimal} can hold
     */
    public static JsonValue readOne(String text) {
        // a plain parser finds where the value ends without building it (by its events: its own
        // skipObject never returns on text that ends inside the object); the strict reader, which
        // refuses repeated members (the parser does not), then builds it
        try (JsonParser end = JSON.createParser(new StringReader(text))) {
            int depth = 0;
            do {
                if (!end.hasNext()) {
                    throw new JsonParsingException("The JSON text ends early", end.getLocation());
                }
                switch (end.next()) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {}
                }
            } while (depth > 0);
            if (end.hasNext()) {
                throw new JsonParsingException("Text after the JSON value", end.getLocation());
            }
        } catch (NoSuchElementException early) {
            throw new JsonParsingException("The JSON text ends early", early, null);
        }
        try (var reader = STRICT.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (UnsupportedOperationException | NumberFormatException number) {
            // Parsson builds each number as a BigDecimal: over 1100 characters it refuses with the
            // first, an exponent beyond an int's range fails with the second; both are the text's fault
            throw new JsonParsingException("A number too long or with too large an exponent", number, null);
        }
    }

    /**
     * Whether a string in a JSON value, member names included, holds a UTF-16 surrogate without
     * its pair (as a {@code \\ud800} escape can write). Such a string is no Unicode text: stored as
     * UTF-8 it becomes {@code ?}, so two different passwords or item names would become one.
     */
    public static boolean hasLoneSurrogate(JsonValue value) {
        return anyString(value, Jsons::loneSurrogate);
    }

    /**
     * Whether a string in a JSON value, member names included, holds the NUL character (a
     * {@code \\u0000} escape). No field of the services holds one, and PostgreSQL refuses NUL in
     * text: such a value would end in a database error, a 500, instead of a 400.
     */
    public static boolean hasNul(JsonValue value) {
        return anyString(value, text -> text.indexOf('\0') >= 0);
    }

    private static boolean anyString(JsonValue value, Predicate<String> test) {
        return switch (value.getValueType()) {
            case STRING -> test.test(((JsonString) value).getString());
            case OBJECT ->
                value.asJsonObject().entrySet().stream()
                        .anyMatch(member -> test.test(member.getKey()) || anyString(member.getValue(), test));
            case ARRAY -> value.asJsonArray().stream().anyMatch(item -> anyString(item, test));
            default -> false;
        };
    }

    static boolean loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether JSON text nests arrays and objects deeper than {@code max}, by a scan that needs no
     * stack: the parser recurses once per level, and a body of a few kilobytes of brackets
     * would otherwise end in a stack overflow instead of a clean refusal.
     */
    public static boolean nestedDeeperThan(CharSequence json, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }

    private Jsons() {}
}
