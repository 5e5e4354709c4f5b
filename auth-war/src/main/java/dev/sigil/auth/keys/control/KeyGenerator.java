package dev.sigil.auth.keys.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * Where signing keys are generated: a new key pair for {@code auth.keys.algorithm}, RS256 (RSA,
 * {@code auth.keys.rsa-bits}) or ES256 (P-256), the two MicroProfile JWT validators accept.
 * A key's id is the RFC 7638 thumbprint of its public key. Sealing and storing the key is the
 * {@link KeyRing}'s.
 */
@ApplicationScoped
public class KeyGenerator {

    @Inject
    @ConfigProperty(name = "auth.keys.algorithm", defaultValue = "RS256")
    String algorithm;

    @Inject
    @ConfigProperty(name = "auth.keys.rsa-bits", defaultValue = "2048")
    int rsaBits;

    /** A new private key with its {@code kid}, {@code use} and {@code alg}; null asks for the configured algorithm. */
    public PublicJsonWebKey generate(String alg) {
        String name = alg == null ? algorithm : alg;
        PublicJsonWebKey jwk;
        try {
            jwk = switch (name) {
                case "RS256" -> RsaJwkGenerator.generateJwk(rsaBits);
                case "ES256" -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
                default ->
                    throw new IllegalArgumentException("Unsupported signing algorithm " + name + " (RS256 or ES256)");
            };
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        }
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setUse("sig");
        jwk.setAlgorithm(name);
        return jwk;
    }
}
