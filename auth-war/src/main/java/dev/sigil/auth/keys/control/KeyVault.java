package dev.sigil.auth.keys.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.PbkdfKey;
import org.jose4j.lang.JoseException;

/**
 * Seals private signing keys at rest, always: a private JWK is stored as a JWE
 * ({@code PBES2-HS512+A256KW}, {@code A256GCM}, 210,000 PBKDF2 iterations), so a copy of the
 * database alone (a backup, a dump) does not yield a signing key.
 * <p>
 * The secret is {@code auth.keys.encryption-secret} when set; otherwise the one in
 * {@code auth.keys.encryption-secret-file} (default {@code <instance root>/sigil/key-encryption.secret},
 * outside the database files), generated there at the first start. It must be worth at least
 * 32 bytes ({@link KeySecret}); a weaker one stops the start. Since every key this service
 * writes is sealed, a stored key in plain JSON can only have been planted and is refused.
 * <p>
 * To change the secret, {@code auth.keys.previous-encryption-secret[-file]} names the old one:
 * keys sealed with it are re-sealed with the current one at start ({@link KeyRing}).
 */
@ApplicationScoped
public class KeyVault {

    private static final Logger LOG = Logger.getLogger(KeyVault.class.getName());
    static final long ITERATIONS = 210_000;
    static final String SECRET = "auth.keys.encryption-secret";
    static final String SECRET_FILE = "auth.keys.encryption-secret-file";
    static final String PREVIOUS = "auth.keys.previous-encryption-secret";
    static final String PREVIOUS_FILE = "auth.keys.previous-encryption-secret-file";

    @Inject
    @ConfigProperty(name = SECRET)
    Optional<String> secret;

    @Inject
    @ConfigProperty(name = SECRET_FILE)
    Optional<String> secretFile;

    @Inject
    @ConfigProperty(name = PREVIOUS)
    Optional<String> previousSecret;

    @Inject
    @ConfigProperty(name = PREVIOUS_FILE)
    Optional<String> previousSecretFile;

    private String current;
    private String previous;

    /** A vault over fixed secrets, for tests. */
    static KeyVault of(String current, String previous) {
        KeyVault vault = new KeyVault();
        vault.current = KeySecret.checked(current, "a test");
        vault.previous = previous;
        return vault;
    }

    /** Settles the secrets at start; a missing or weak secret stops the service here. */
    @PostConstruct
    void load() {
        Optional<String> configured = secret.filter(value -> !value.isBlank());
        if (configured.isPresent()) {
            current = KeySecret.checked(configured.get().strip(), SECRET);
            LOG.info(() -> "Private signing keys are sealed with the secret of " + SECRET);
        } else {
            Path file =
                    secretFile.filter(value -> !value.isBlank()).map(Path::of).orElseGet(KeyVault::defaultFile);
            KeySecret.Loaded loaded = KeySecret.readOrCreate(file);
            current = KeySecret.checked(loaded.secret(), file.toString());
            LOG.info(() -> "Private signing keys are sealed with the secret in " + file
                    + (loaded.created() ? ", generated now: back it up apart from the database" : ""));
        }
        previous = previousSecret
                .filter(value -> !value.isBlank())
                .map(String::strip)
                .or(() ->
                        previousSecretFile.filter(value -> !value.isBlank()).map(name -> KeySecret.read(Path.of(name))))
                .orElse(null);
    }

    /** The secret file when none is configured: under the server's instance directory ({@code --rootdir}). */
    static Path defaultFile() {
        String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("user.dir"));
        return Path.of(root, "sigil", "key-encryption.secret").toAbsolutePath();
    }

    /** Whether a secret to re-seal from is configured. */
    public boolean hasPrevious() {
        return previous != null;
    }

    /** The form to store a private JWK (JSON) in: a compact JWE. */
    public String seal(String privateJwk) {
        try {
            JsonWebEncryption jwe = restricted();
            jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.PBES2_HS512_A256KW);
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.getHeaders().setObjectHeaderValue(HeaderParameterNames.PBES2_ITERATION_COUNT, ITERATIONS);
            jwe.setKey(new PbkdfKey(current));
            jwe.setPayload(privateJwk);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot seal a signing key", e);
        }
    }

    /** Whether a stored key has the sealed form at all (a compact JWE, never JSON). */
    public static boolean sealed(String stored) {
        return !stored.startsWith("{") && stored.split("\\.", -1).length == 5;
    }

    /**
     * The private JWK (JSON) of a stored key.
     *
     * @throws UnsealedKey if it is stored in plain JSON
     * @throws IllegalStateException if the current secret cannot open it
     */
    public String open(String stored) {
        if (!sealed(stored)) {
            throw new UnsealedKey();
        }
        return openWith(stored, current)
                .orElseThrow(() -> new IllegalStateException(
                        "Cannot open a stored signing key with the current secret: wrong " + SECRET + " or "
                                + SECRET_FILE + "? (after changing it, set " + PREVIOUS + " to the old one)"));
    }

    /**
     * The stored key sealed with the current secret if it is sealed with the previous one, or
     * empty if the current secret opens it already.
     *
     * @throws IllegalStateException if neither opens it
     */
    public Optional<String> resealed(String stored) {
        if (!sealed(stored)) {
            throw new UnsealedKey();
        }
        if (openWith(stored, current).isPresent()) {
            return Optional.empty();
        }
        String privateJwk = Optional.ofNullable(previous)
                .flatMap(old -> openWith(stored, old))
                .orElseThrow(() -> new IllegalStateException(
                        "A stored signing key opens with neither the current nor the previous secret"));
        return Optional.of(seal(privateJwk));
    }

    private static Optional<String> openWith(String stored, String secret) {
        try {
            JsonWebEncryption jwe = restricted();
            jwe.setCompactSerialization(stored);
            jwe.setKey(new PbkdfKey(secret));
            return Optional.of(jwe.getPayload());
        } catch (JoseException e) {
            return Optional.empty();
        }
    }

    /** jose4j blocks password-based encryption unless asked; here it is the only algorithm allowed. */
    private static JsonWebEncryption restricted() {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.PBES2_HS512_A256KW));
        jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
        return jwe;
    }

    /** A stored key in plain JSON: this service never writes one, so it was put there by someone else. */
    public static final class UnsealedKey extends IllegalStateException {
        UnsealedKey() {
            super("stored unsealed");
        }
    }
}
