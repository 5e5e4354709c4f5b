package dev.sigil.auth.tokens.control;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.users.entity.User;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
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
 * Issuing one access token with auth's own {@link TokenIssuer} (claims, JSON, JWS compact
 * serialization), signed with a 2048-bit RSA key and with a P-256 key. Only the key ring is
 * replaced, by one that always hands out the benchmark's key; it lives in the issuer's package
 * to set the issuer's settings as the container would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {

    final User user = new User("bench@example.com", "not used", Instant.now());
    TokenIssuer rsa;
    TokenIssuer ec;

    @Setup
    public void issuers() throws Exception {
        PublicJsonWebKey rsaKey = RsaJwkGenerator.generateJwk(2048);
        rsaKey.setKeyId("rsa");
        rsaKey.setAlgorithm("RS256");
        rsa = issuer(rsaKey);
        PublicJsonWebKey ecKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ecKey.setKeyId("ec");
        ecKey.setAlgorithm("ES256");
        ec = issuer(ecKey);
    }

    static TokenIssuer issuer(PublicJsonWebKey key) {
        TokenIssuer issuer = new TokenIssuer();
        issuer.keys = new KeyRing() {
            @Override
            public PublicJsonWebKey signingKey() {
                return key;
            }
        };
        issuer.issuer = "http://localhost:8080/auth";
        issuer.lifetimeSeconds = 300;
        return issuer;
    }

    @Benchmark
    public AccessToken signRs256() {
        return rsa.issue(user, "session", "business", Instant.now());
    }

    @Benchmark
    public AccessToken signEs256() {
        return ec.issue(user, "session", "business", Instant.now());
    }
}
