package dev.sigil.auth.users.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hashes and verifies passwords with {@link Pbkdf2Hash} (the platform's {@code Pbkdf2PasswordHash}
 * format, in two thirds of its time), configured by default for today's cost (OWASP's 2023 figure for PBKDF2-HMAC-SHA256) instead
 * of the platform's far lower default.
 * <p>
 * Each stored hash carries its own algorithm, iterations and salt, so changing the settings
 * never breaks existing accounts. {@link #verifyAgainstNothing} spends the same work as a real
 * check, so an unknown email costs as long as a wrong password.
 */
@ApplicationScoped
public class PasswordHasher {

    @Inject
    Pbkdf2Hash hash;

    @Inject
    @ConfigProperty(name = "auth.password.algorithm", defaultValue = "PBKDF2WithHmacSHA256")
    String algorithm;

    @Inject
    @ConfigProperty(name = "auth.password.iterations", defaultValue = "600000")
    int iterations;

    @Inject
    @ConfigProperty(name = "auth.password.salt-bytes", defaultValue = "16")
    int saltBytes;

    @Inject
    @ConfigProperty(name = "auth.password.key-bytes", defaultValue = "32")
    int keyBytes;

    private String dummyHash;

    @PostConstruct
    void configure() {
        hash.initialize(Map.of(
                Pbkdf2Hash.ALGORITHM, algorithm,
                Pbkdf2Hash.ITERATIONS, Integer.toString(iterations),
                Pbkdf2Hash.SALT_BYTES, Integer.toString(saltBytes),
                Pbkdf2Hash.KEY_BYTES, Integer.toString(keyBytes)));
        dummyHash = hash.generate("not a real password: equalises timing".toCharArray());
    }

    public String hash(String password) {
        return hash.generate(normalized(password));
    }

    public boolean verify(String password, String storedHash) {
        return hash.verify(normalized(password), storedHash);
    }

    /**
     * The password as hashed: Unicode NFKC, as NIST SP 800-63B advises, so that the same
     * password typed on keyboards that compose characters differently ({@code é} as one code
     * point or as {@code e} and a combining accent) is the same password.
     */
    static char[] normalized(String password) {
        return comparedForm(password).toCharArray();
    }

    /** The password as it is compared (NFKC), for rules that must hold of what is hashed, such as its length. */
    public static String comparedForm(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /**
     * Whether a stored hash was made with other parameters than the configured ones (another
     * algorithm, fewer iterations, another salt or key size), so the next successful login
     * should replace it. The platform's format is {@code algorithm:iterations:salt:key}, both
     * parts base64.
     */
    public boolean needsUpgrade(String storedHash) {
        String[] parts = storedHash.split(":");
        int stored = iterationsOf(parts);
        if (stored < 0) {
            return true;
        }
        try {
            return !parts[0].equals(algorithm)
                    || stored < iterations
                    || Base64.getDecoder().decode(parts[2]).length != saltBytes
                    || Base64.getDecoder().decode(parts[3]).length != keyBytes;
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }

    /**
     * After a failed check against a stored hash of fewer iterations than configured (one made
     * before they were raised, kept until its owner's next login): the iterations it lacks,
     * spent on nothing, so that the failure takes about as long as one for an unknown account
     * ({@link #verifyAgainstNothing}) and its timing does not tell that the account exists.
     *
     * @return the iterations spent: none for a hash of the configured iterations or more, or one
     *         that cannot be read
     */
    public int spendWhatTheStoredHashLacks(String password, String storedHash) {
        int stored = iterationsOf(storedHash.split(":"));
        int lacking = stored < 0 ? 0 : iterations - stored;
        if (lacking <= 0) {
            return 0;
        }
        Base64.Encoder base64 = Base64.getEncoder();
        hash.verify(
                normalized(password),
                algorithm + ":" + lacking + ":" + base64.encodeToString(new byte[saltBytes]) + ":"
                        + base64.encodeToString(new byte[keyBytes]));
        return lacking;
    }

    /** The iterations of a stored hash split at its colons, or -1 when they cannot be read. */
    private static int iterationsOf(String[] parts) {
        try {
            return parts.length == 4 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }

    /** Burns the time of one verification and always fails. */
    public boolean verifyAgainstNothing(String password) {
        hash.verify(normalized(password), dummyHash);
        return false;
    }
}
