package dev.sigil.web;

import jakarta.json.JsonConfig;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import java.util.Map;

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
