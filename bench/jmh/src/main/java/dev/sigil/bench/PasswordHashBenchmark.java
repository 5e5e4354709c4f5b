package dev.sigil.bench;

import dev.sigil.auth.users.control.Pbkdf2Hash;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One password check as a login makes it, at the service's cost (PBKDF2-HMAC-SHA256, 600,000
 * iterations, 16-byte salt, 32-byte key), against the same stored hash:
 * <ul>
 * <li>{@code jdk}: what the platform's {@code Pbkdf2PasswordHash} does: split the stored hash,
 * derive with the JDK's {@code PBKDF2WithHmacSHA256}, compare;</li>
 * <li>{@code pbkdf2Hash}: the service's {@link Pbkdf2Hash}, which hashes each HMAC key pad
 * once per check instead of once per iteration.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PasswordHashBenchmark {

    final char[] password = "correct horse battery staple".toCharArray();
    final Pbkdf2Hash hash = new Pbkdf2Hash();
    String stored;

    @Setup
    public void hashOnce() {
        hash.initialize(
                Map.of(Pbkdf2Hash.ITERATIONS, "600000", Pbkdf2Hash.SALT_BYTES, "16", Pbkdf2Hash.KEY_BYTES, "32"));
        stored = hash.generate(password);
        if (!hash.verify(password, stored) || !jdk()) {
            throw new IllegalStateException("the two do not agree");
        }
    }

    @Benchmark
    public boolean jdk() {
        String[] parts = stored.split(":");
        byte[] key = Base64.getDecoder().decode(parts[3]);
        try {
            byte[] derived = SecretKeyFactory.getInstance(parts[0])
                    .generateSecret(new PBEKeySpec(
                            password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]), key.length * 8))
                    .getEncoded();
            return MessageDigest.isEqual(key, derived);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public boolean pbkdf2Hash() {
        return hash.verify(password, stored);
    }
}
