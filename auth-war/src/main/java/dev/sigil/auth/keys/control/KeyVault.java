package dev.sigil.auth.keys.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.PbkdfKey;
import org.jose4j.lang.JoseException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Protects private signing keys at rest. With {@code auth.keys.encryption-secret}
 * ({@code AUTH_KEYS_ENCRYPTION_SECRET}) set, a private JWK is stored as a JWE
 * ({@code PBES2-HS512+A256KW}, {@code A256GCM}, 210,000 PBKDF2 iterations), so a copy of the
 * database alone does not yield a signing key. Without it keys are stored as plain JSON and
 * start-up says so.
 */
@ApplicationScoped
public class KeyVault {

    private static final Logger LOG = Logger.getLogger(KeyVault.class.getName());
    static final long ITERATIONS = 210_000;

    @Inject
    @ConfigProperty(name = "auth.keys.encryption-secret")
    Optional<String> secret;

    @PostConstruct
    void warnIfPlain() {
        if (!encrypting()) {
            LOG.warning("Private signing keys are stored unencrypted: set AUTH_KEYS_ENCRYPTION_SECRET "
                    + "(auth.keys.encryption-secret) to encrypt them at rest");
        }
    }

    public boolean encrypting() {
        return secret.isPresent() && !secret.get().isBlank();
    }

    /** The form to store a private JWK (JSON) in. */
    public String seal(String privateJwk) {
        if (!encrypting()) {
            return privateJwk;
        }
        try {
            JsonWebEncryption jwe = restricted();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.PBES2_HS512_A256KW);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.getHeaders().setObjectHeaderValue(HeaderParameterNames.PBES2_ITERATION_COUNT, ITERATIONS);
            jwe.setKey(new PbkdfKey(secret.get()));
            jwe.setPayload(privateJwk);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot encrypt a signing key", e);
        }
    }

    /** jose4j blocks password-based encryption unless asked; here it is the only algorithm allowed. */
    private static JsonWebEncryption restricted() {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                KeyManagementAlgorithmIdentifiers.PBES2_HS512_A256KW));
        jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
        return jwe;
    }

    /** The private JWK (JSON) of a stored key. */
    public String open(String stored) {
        if (stored.startsWith("{")) {
            return stored;
        }
        if (!encrypting()) {
            throw new IllegalStateException("The stored signing keys are encrypted: set AUTH_KEYS_ENCRYPTION_SECRET");
        }
        try {
            JsonWebEncryption jwe = restricted();
            jwe.setCompactSerialization(stored);
            jwe.setKey(new PbkdfKey(secret.get()));
            return jwe.getPayload();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot decrypt a stored signing key: wrong AUTH_KEYS_ENCRYPTION_SECRET?", e);
        }
    }
}
