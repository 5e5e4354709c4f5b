package dev.sigil.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The header and claims of a compact JWT, read without verifying anything: for tests that look
 * at what a server issued. Never a way to trust a token.
 */
public final class JwtParts {

    private JwtParts() {}

    /** The decoded JOSE header. */
    public static JsonObject header(String jwt) {
        return part(jwt, 0);
    }

    /** The decoded claims (payload). */
    public static JsonObject claims(String jwt) {
        return part(jwt, 1);
    }

    /** The decoded payload as text, exactly as signed. */
    public static String payloadText(String jwt) {
        return text(jwt, 1);
    }

    private static JsonObject part(String jwt, int index) {
        try (var reader = Json.createReader(new StringReader(text(jwt, index)))) {
            return reader.readObject();
        }
    }

    private static String text(String jwt, int index) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8);
    }
}
