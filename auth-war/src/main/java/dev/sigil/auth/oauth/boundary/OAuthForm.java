package dev.sigil.auth.oauth.boundary;

import dev.sigil.auth.oauth.control.OAuthError;
import dev.sigil.web.FormEncoding;
import dev.sigil.web.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an OAuth 2.0 request: an {@code application/x-www-form-urlencoded} body
 * in UTF-8, read here rather than by JAX-RS so that every client mistake (another content type,
 * a repeated parameter, bad percent-encoding, an oversized body) is answered with the
 * protocol's {@code invalid_request} rather than a generic 415 or 400; bytes that are not UTF-8,
 * raw or escaped, are refused too, never replaced. A parameter sent without
 * a value counts as omitted (RFC 6749 section 3.1); one sent twice is refused.
 */
public final class OAuthForm {

    static final int MAX_BYTES = 8192;
    static final String FORM = "application/x-www-form-urlencoded";

    private final Map<String, String> values;

    private OAuthForm(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the body; the content type is checked first, so a wrong one reads nothing. */
    public static OAuthForm read(String contentType, InputStream body) {
        if (!isForm(contentType)) {
            throw OAuthError.invalidRequest("The request body must be " + FORM + " in UTF-8");
        }
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw OAuthError.invalidRequest("The request body could not be read");
        }
        if (bytes.length > MAX_BYTES) {
            throw OAuthError.invalidRequest("The request body must be at most " + MAX_BYTES + " bytes");
        }
        return parse(utf8(bytes));
    }

    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase(FORM)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].strip().split("=", 2);
            if (parameter[0].equalsIgnoreCase("charset")
                    && (parameter.length < 2
                            || !parameter[1].replace("\"", "").strip().equalsIgnoreCase("UTF-8"))) {
                return false;
            }
        }
        return true;
    }

    static OAuthForm parse(String body) {
        Map<String, String> values = new HashMap<>();
        if (body.isEmpty()) {
            return new OAuthForm(values);
        }
        for (String pair : body.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                // no parameter holds one, and PostgreSQL stores no NUL: a lookup would fail, a 500
                throw OAuthError.invalidRequest("The request body must not contain the NUL character (%00)");
            }
            if (values.containsKey(name)) {
                throw OAuthError.invalidRequest("Parameter " + shown(name) + " must not be repeated");
            }
            values.put(name, value);
        }
        return new OAuthForm(values);
    }

    private static String decode(String text) {
        try {
            return FormEncoding.decode(text);
        } catch (IllegalArgumentException malformed) {
            throw OAuthError.invalidRequest("The request body must be " + FORM + " in UTF-8");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException notUtf8) {
            throw OAuthError.invalidRequest("The request body must be " + FORM + " in UTF-8");
        }
    }

    /** A parameter name as it may appear in an error description (which shows only what RFC 6749 allows there). */
    static String shown(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    /** The parameter's value, empty when it was omitted or sent without a value. */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isEmpty());
    }

    /**
     * @throws OAuthError {@code invalid_request} when the parameter is missing
     */
    public String required(String name) {
        return optional(name).orElseThrow(() -> OAuthError.invalidRequest("Parameter " + name + " is required"));
    }

    /** The value, or null when it was omitted. */
    public String get(String name) {
        return optional(name).orElse(null);
    }
}
