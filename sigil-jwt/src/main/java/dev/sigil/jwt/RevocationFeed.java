package dev.sigil.jwt;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The revocation feed's document: a compact JWS of type {@value #TYPE}, signed by auth with its
 * current token key, whose payload lists the revocations that can still matter:
 * {@code {"iat":…, "token_lifetime":…, "revocations":[{"sub":…, "before_ms":…}, {"sid":…, "before_ms":…}]}},
 * where {@code token_lifetime}, when present, is the longest life in seconds of the tokens the
 * entries cover: how long after its cut-off a reader must keep an entry (plus its clock skew).
 * A reader accepts it only with a key of the JWKS it already trusts for tokens, so nobody but
 * auth can add entries; and since the {@link RevocationList} never withdraws an entry before it
 * has outlived every token it covers, an old or partial feed can take nothing back.
 */
public final class RevocationFeed {

    /** The JWS {@code typ}: distinct from access tokens', so neither is taken for the other. */
    public static final String TYPE = "revocations+jwt";

    private RevocationFeed() {}

    /**
     * The payload auth signs. Its {@code token_lifetime} is the longest of the entries'; it is
     * left out when an entry does not say one, so that a reader keeps each entry for its own maximum.
     */
    public static String payload(List<Revocation> revocations, long issuedAtSeconds) {
        JsonArrayBuilder entries = JSON.createArrayBuilder();
        long lifetime = 0;
        boolean eachSaysItsLifetime = true;
        for (Revocation revocation : revocations) {
            lifetime = Math.max(lifetime, revocation.tokenLifetimeSeconds());
            eachSaysItsLifetime &= revocation.tokenLifetimeSeconds() > 0;
            var entry = JSON.createObjectBuilder();
            if (revocation.subject() != null) {
                entry.add("sub", revocation.subject());
            } else {
                entry.add("sid", revocation.session());
            }
            entries.add(entry.add("before_ms", revocation.beforeMillis()));
        }
        var document = JSON.createObjectBuilder().add("iat", issuedAtSeconds);
        if (eachSaysItsLifetime && lifetime > 0) {
            document.add("token_lifetime", Math.min(lifetime, Integer.MAX_VALUE)); // what a reader takes
        }
        return document.add("revocations", entries).build().toString();
    }

    /** The {@code kid} a document's header names, not verified; null when it names none or is no JWS. */
    public static String keyId(String document) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(document.trim());
            return jws.getKeyIdHeaderValue();
        } catch (JoseException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * The revocations of a feed document, verified with a key of {@code jwks}.
     *
     * @throws IllegalArgumentException when the document is not a feed signed by one of those keys
     */
    public static List<Revocation> verify(String document, String jwks) {
        String payload;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.RSA_USING_SHA256,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(document.trim());
            if (!TYPE.equals(jws.getHeader("typ"))) {
                throw new IllegalArgumentException("not of type " + TYPE);
            }
            JsonWebKey key = new VerificationJwkSelector().select(jws, new JsonWebKeySet(jwks).getJsonWebKeys());
            if (key == null) {
                throw new IllegalArgumentException("signed by no known key");
            }
            jws.setKey(key.getKey());
            if (!jws.verifySignature()) {
                throw new IllegalArgumentException("bad signature");
            }
            payload = jws.getPayload();
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a signed feed: " + e.getMessage(), e);
        }
        return read(payload);
    }

    /** The revocations of a payload as {@link #payload} writes it, signed or not. */
    static List<Revocation> read(String payload) {
        JsonObject document;
        try (var reader = JSON.createReader(new StringReader(payload))) {
            document = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("payload is not a JSON object", e);
        }
        if (!(document.get("revocations") instanceof jakarta.json.JsonArray array)) {
            throw new IllegalArgumentException("no \"revocations\" array");
        }
        long lifetime = 0;
        if (document.containsKey("token_lifetime")) {
            if (!(document.get("token_lifetime") instanceof JsonNumber number)
                    || !number.isIntegral()
                    || number.bigIntegerValue().signum() <= 0
                    || number.bigIntegerValue().bitLength() > 31) {
                throw new IllegalArgumentException("\"token_lifetime\" is not a positive whole number of seconds");
            }
            lifetime = number.longValue();
        }
        List<Revocation> revocations = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject entry) || !(entry.get("before_ms") instanceof JsonNumber before)) {
                throw new IllegalArgumentException("an entry without \"before_ms\"");
            }
            String subject = entry.get("sub") instanceof JsonString text ? text.getString() : null;
            String session = entry.get("sid") instanceof JsonString text ? text.getString() : null;
            long beforeMillis;
            try {
                beforeMillis = before.longValueExact();
            } catch (ArithmeticException notWhole) {
                throw new IllegalArgumentException("\"before_ms\" is not a whole number of milliseconds", notWhole);
            }
            revocations.add(new Revocation(subject, session, beforeMillis, lifetime));
        }
        return revocations;
    }
}
