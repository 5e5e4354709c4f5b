package dev.sigil.jwt;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A JWKS document as published by the auth service, with the key ids it holds.
 *
 * @param json the document as received, which is what the validator reads
 * @param kids the ids of its keys
 */
public record KeySet(String json, Set<String> kids) {

    /** The document the validator sees before any key is known. */
    public static final KeySet NONE = new KeySet("{\"keys\":[]}", Set.of());

    public KeySet {
        kids = Set.copyOf(kids);
    }

    /**
     * Reads a JWKS document.
     *
     * @throws IllegalArgumentException when it is not a JSON object with a {@code keys} array
     *         whose every member has a {@code kid} and a {@code kty}
     */
    public static KeySet parse(String json) {
        JsonObject document;
        try (var reader = JSON.createReader(new StringReader(json))) {
            document = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object", e);
        }
        if (!(document.get("keys") instanceof jakarta.json.JsonArray keys)) {
            throw new IllegalArgumentException("no \"keys\" array");
        }
        Set<String> kids = new LinkedHashSet<>();
        for (JsonValue key : keys) {
            if (!(key instanceof JsonObject jwk)
                    || !(jwk.get("kid") instanceof JsonString kid)
                    || !(jwk.get("kty") instanceof JsonString)) {
                throw new IllegalArgumentException("a key without \"kid\" or \"kty\"");
            }
            kids.add(kid.getString());
        }
        return new KeySet(json, kids);
    }

    public boolean isEmpty() {
        return kids.isEmpty();
    }
}
