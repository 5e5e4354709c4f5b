package dev.sigil.web;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What a compact JWS says about itself before anyone has checked its signature: the key id of
 * its header and the time claims of its payload. Nothing read here is trusted; it only decides
 * which key to look for, which checks to add to the validator's, and how to describe a rejection.
 *
 * @param kid the header's {@code kid}, or null
 * @param exp the payload's {@code exp} in epoch seconds, or null
 * @param nbf the payload's {@code nbf} in epoch seconds, or null
 */
public record UnverifiedToken(String kid, Long exp, Long nbf) {

    /** Longer tokens are not read: no access token of ours comes near, and parsing is not free. */
    static final int MAX_LENGTH = 16_384;

    /** Reads a compact JWS; empty when it is not three base64url parts of JSON objects. */
    public static Optional<UnverifiedToken> read(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonObject header = object(parts[0]);
            JsonObject payload = object(parts[1]);
            return Optional.of(new UnverifiedToken(string(header.get("kid")), seconds(payload.get("exp")),
                    seconds(payload.get("nbf"))));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Whether {@code exp} lies further in the past than the allowed clock skew. */
    public boolean expired(long nowSeconds, long skewSeconds) {
        return exp != null && exp + skewSeconds < nowSeconds;
    }

    /** Whether {@code nbf} lies further in the future than the allowed clock skew. */
    public boolean notYetValid(long nowSeconds, long skewSeconds) {
        return nbf != null && nbf - skewSeconds > nowSeconds;
    }

    private static JsonObject object(String part) {
        String json = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static String string(JsonValue value) {
        return value instanceof JsonString text ? text.getString() : null;
    }

    private static Long seconds(JsonValue value) {
        return value instanceof JsonNumber number ? number.longValue() : null;
    }
}
