package dev.sigil.web;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;
import java.util.Optional;

/**
 * What a compact JWS says about itself before anyone has checked its signature: the key id of
 * its header and the time claims of its payload, and whom it names. Nothing read here is trusted
 * until a validator has accepted the token; it decides which key to look for, which checks to add
 * to the validator's and how to describe a rejection, and, once the token is verified, what a
 * revocation is matched against (subject, session, issue time), from this one reading of the
 * payload.
 * <p>
 * A token is unreadable, and so rejected before any validator sees it, when it is not exactly
 * three non-empty parts of unpadded base64url, each the canonical encoding of its bytes (see
 * {@link #canonical}), when header or payload is not exactly one JSON object in valid UTF-8, or when
 * either nests deeper than {@value #MAX_DEPTH} levels, or repeats a member: two JSON parsers may pick different copies of a repeated
 * {@code alg} or {@code exp}, so such a token has no single meaning.
 *
 * @param kid the header's {@code kid}, or null
 * @param critical whether the header has a {@code crit} member (no extension is understood here)
 * @param exp the payload's {@code exp} in epoch seconds, or null
 * @param nbf the payload's {@code nbf} in epoch seconds, or null
 * @param iat the payload's {@code iat} in epoch seconds, or null
 * @param subject the payload's {@code sub}, or null
 * @param session the payload's {@code sid} (a session of auth's), or null
 * @param issuedMillis the payload's {@code iat_ms} ({@link #ISSUED_MILLIS}), or null
 */
public record UnverifiedToken(
        String kid, boolean critical, Long exp, Long nbf, Long iat, String subject, String session, Long issuedMillis) {

    /** The claim with a token's issue time in epoch milliseconds: {@code iat} is whole seconds. */
    public static final String ISSUED_MILLIS = "iat_ms";

    /** Longer tokens are not read: no access token of ours comes near, and parsing is not free. */
    static final int MAX_LENGTH = 16_384;

    /** Claims are flat but for a few arrays and objects; deeper nesting only attacks the parser's stack. */
    static final int MAX_DEPTH = 8;

    /**
     * The three parts of a compact JWS, or null unless there are exactly three, none empty, all in
     * the base64url alphabet without padding (RFC 7515 section 2): a validator that also took
     * padding or the standard alphabet would accept many spellings of one signed token. A loop
     * rather than a regular expression: this runs for every token not seen before, and the
     * expression took about 7 % of the gate's time for such a token, profiled.
     */
    static String[] compactParts(String token) {
        int first = -1;
        int second = -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (first < 0) {
                    first = i;
                } else if (second < 0) {
                    second = i;
                } else {
                    return null;
                }
            } else if (!base64url(c)) {
                return null;
            }
        }
        if (first < 1
                || second < first + 2
                || second == token.length() - 1
                || !canonical(token, 0, first)
                || !canonical(token, first + 1, second)
                || !canonical(token, second + 1, token.length())) {
            return null;
        }
        return new String[] {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)
        };
    }

    /**
     * Whether {@code token[start, end)}, already known to be base64url characters, is the one
     * encoding of its bytes (RFC 4648 section 3.5): a length of 1 modulo 4 encodes no whole
     * byte, and the bits of the last character that fall beyond the last byte must be zero.
     * Decoders ignore those bits, so without this check one signed token has up to 16 spellings
     * that all verify, each a separate entry of a cache keyed by the token. Reads one character,
     * allocates nothing.
     */
    static boolean canonical(String token, int start, int end) {
        int unusedBits =
                switch ((end - start) % 4) {
                    case 0 -> 0;
                    case 2 -> 4;
                    case 3 -> 2;
                    default -> -1;
                };
        return unusedBits == 0 || unusedBits > 0 && (sextet(token.charAt(end - 1)) & ((1 << unusedBits) - 1)) == 0;
    }

    /** The value of a base64url character. */
    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    private static boolean base64url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** Reads a compact JWS; empty when it is not three base64url parts of JSON objects. */
    public static Optional<UnverifiedToken> read(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = compactParts(token);
        if (parts == null) {
            return Optional.empty();
        }
        try {
            JsonObject header = object(parts[0]);
            JsonObject payload = object(parts[1]);
            return Optional.of(new UnverifiedToken(
                    string(header.get("kid")),
                    header.containsKey("crit"),
                    seconds(payload.get("exp")),
                    seconds(payload.get("nbf")),
                    seconds(payload.get("iat")),
                    string(payload.get("sub")),
                    string(payload.get("sid")),
                    seconds(payload.get(ISSUED_MILLIS))));
        } catch (RuntimeException | CharacterCodingException unreadable) {
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

    /** Whether {@code iat} lies further in the future than the allowed clock skew. */
    public boolean issuedInTheFuture(long nowSeconds, long skewSeconds) {
        return iat != null && iat - skewSeconds > nowSeconds;
    }

    /** Whether {@code exp} is further than {@code maxSeconds} after {@code iat}. */
    public boolean livesLongerThan(long maxSeconds) {
        return exp != null
                && iat != null
                && BigDecimal.valueOf(exp).subtract(BigDecimal.valueOf(iat)).compareTo(BigDecimal.valueOf(maxSeconds))
                        > 0;
    }

    private static JsonObject object(String part) throws CharacterCodingException {
        String json = Utf8.decode(Base64.getUrlDecoder().decode(part));
        if (Jsons.nestedDeeperThan(json, MAX_DEPTH)) {
            throw new IllegalArgumentException("nested too deeply");
        }
        JsonValue value = Jsons.readOne(json);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return value.asJsonObject();
    }

    private static String string(JsonValue value) {
        return value instanceof JsonString text ? text.getString() : null;
    }

    /**
     * A NumericDate (or {@code iat_ms}): a JSON number, whole or not, held to the range of a long
     * (a huge {@code exp} must not wrap around into the past); anything else counts as absent.
     */
    private static Long seconds(JsonValue value) {
        if (!(value instanceof JsonNumber number)) {
            return null;
        }
        BigDecimal seconds = number.bigDecimalValue();
        if (seconds.compareTo(LONG_MAX) > 0) {
            return Long.MAX_VALUE;
        }
        return seconds.compareTo(LONG_MIN) < 0 ? Long.MIN_VALUE : seconds.longValue();
    }

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
}
