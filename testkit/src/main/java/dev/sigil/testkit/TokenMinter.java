package dev.sigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Mints access tokens the way the auth service does (one audience, no email), with a key pair
 * of its own, so tests of a validating service can produce every kind of token: valid, expired,
 * for another issuer or audience, signed by a stranger, unsigned. Each minter has a fresh key; nothing is stored
 * beyond the public JWKS a test asks it to write.
 */
public final class TokenMinter {

    private final PublicJsonWebKey key;
    private final String algorithm;
    private final String issuer;
    private final String audience;

    /** A minter with a fresh RS256 key of its own. */
    public TokenMinter(String issuer, String audience) {
        this(issuer, audience, freshRsaKey());
    }

    /**
     * A minter that signs with a given private key: RS256 for an RSA key, ES256 for an EC key.
     * The key's {@code kid} names it in every token.
     */
    public TokenMinter(String issuer, String audience, PublicJsonWebKey key) {
        this.issuer = issuer;
        this.audience = audience;
        this.key = key;
        this.algorithm = key instanceof EllipticCurveJsonWebKey
                ? AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256
                : AlgorithmIdentifiers.RSA_USING_SHA256;
    }

    private static PublicJsonWebKey freshRsaKey() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(UUID.randomUUID().toString());
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as a JWKS document. */
    public String jwks() {
        JsonWebKeySet set = new JsonWebKeySet(key);
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The public key as one JWK. */
    public String jwk() {
        return key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The key id of every token this minter signs. */
    public String kid() {
        return key.getKeyId();
    }

    /** Writes {@link #jwks()} to a file and returns the file's URL. */
    public String writeJwks(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, jwks(), StandardCharsets.UTF_8);
            return file.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid token for a subject in the given groups, expiring in five minutes. */
    public String token(String subject, String... groups) {
        return token(claims -> {
            claims.setSubject(subject);
            claims.setStringListClaim("groups", List.of(groups));
        });
    }

    /** A token with the standard claims, then changed by {@code claims}. */
    public String token(Consumer<JwtClaims> claims) {
        return token(claims, jws -> {});
    }

    /** A token with the standard claims and header, each then changed as the test needs. */
    public String token(Consumer<JwtClaims> claims, Consumer<JsonWebSignature> header) {
        JwtClaims standard = standardClaims();
        claims.accept(standard);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(standard.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setHeader("typ", "JWT");
        header.accept(jws);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The standard claims as JSON, changed by {@code claims}: a payload for {@link #signed}. */
    public String payload(Consumer<JwtClaims> claims) {
        JwtClaims standard = standardClaims();
        claims.accept(standard);
        return standard.toJson();
    }

    /** The standard header of this minter's tokens as JSON: a header for {@link #signed}. */
    public String header() {
        return "{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\",\"kid\":\"" + key.getKeyId() + "\"}";
    }

    /**
     * A token of exactly this header and payload text, correctly signed with this minter's key:
     * for JSON no library would write, such as a repeated member.
     */
    public String signed(String headerJson, String payloadJson) {
        String input = base64url(headerJson) + "." + base64url(payloadJson);
        try {
            Signature signer = Signature.getInstance(
                    key instanceof EllipticCurveJsonWebKey ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            signer.initSign(key.getPrivateKey());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}) with otherwise valid claims. */
    public String unsigned(String subject, String... groups) {
        JwtClaims claims = standardClaims();
        claims.setSubject(subject);
        claims.setStringListClaim("groups", List.of(groups));
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + key.getKeyId() + "\"}";
        return base64url(header) + "." + base64url(claims.toJson()) + ".";
    }

    /** The same token with one payload claim changed and the old signature kept. */
    public static String tampered(String token, String claim, String jsonValue) {
        String[] parts = token.split("\\.");
        String payload = JwtParts.payloadText(token);
        String changed = payload.replaceFirst(
                "\"" + claim + "\":(\"[^\"]*\"|\\[[^]]*\\]|[0-9]+)", "\"" + claim + "\":" + jsonValue);
        if (changed.equals(payload)) {
            throw new IllegalArgumentException("No claim " + claim + " in " + payload);
        }
        return parts[0] + "." + base64url(changed) + "." + parts[2];
    }

    private JwtClaims standardClaims() {
        JwtClaims claims = new JwtClaims();
        NumericDate now = NumericDate.now();
        claims.setIssuer(issuer);
        claims.setClaim("aud", List.of(audience));
        claims.setSubject(UUID.randomUUID().toString());
        claims.setIssuedAt(now);
        claims.setExpirationTime(NumericDate.fromSeconds(now.getValue() + 300));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    public static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
