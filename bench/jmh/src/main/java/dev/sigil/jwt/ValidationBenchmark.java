package dev.sigil.jwt;

import dev.sigil.testkit.TokenMinter;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
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
 * The validation path of one request, piece by piece:
 * <ul>
 * <li>{@code keyFromJwksPerRequest}: what Payara's validator does before it can verify, on every
 * request: parse the cached JWKS string (after a failed PEM attempt) and rebuild the key;</li>
 * <li>{@code verifyWithKnownKey}: a full signature and claims check with the key at hand;</li>
 * <li>{@code gateRemembered}: the token gate answering a token it has verified before.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidationBenchmark {

    static final JsonProvider JSON = JsonProvider.provider();

    TokenMinter minter;
    String token;
    String jwks;
    JwtConsumer consumer;
    TokenGate gate;
    Credential credential;

    /** Shaped like Payara's credential. */
    public static final class Bearer implements Credential {
        private final String token;

        Bearer(String token) {
            this.token = token;
        }

        public String getSignedJWT() {
            return token;
        }
    }

    @Setup
    public void setUp() throws Exception {
        minter = new TokenMinter("http://localhost:8080/auth", "business");
        token = minter.token("alice", "user");
        jwks = minter.jwks();
        consumer = new JwtConsumerBuilder()
                .setVerificationKey(keyFromJwks(jwks, minter.kid()))
                .setExpectedIssuer("http://localhost:8080/auth")
                .setExpectedAudience("business")
                .setRequireExpirationTime()
                .build();
        gate = new TokenGate();
        gate.keys = new KeyMirror() {
            @Override
            public boolean knows(String kid) {
                return minter.kid().equals(kid);
            }
        };
        gate.validators = List.of(new IdentityStore() {
            @Override
            public CredentialValidationResult validate(Credential credential) {
                return new CredentialValidationResult("alice", Set.of("user"));
            }
        });
        gate.skewSeconds = 60;
        gate.cacheSize = 20_000;
        credential = new Bearer(token);
        gate.validate(credential);
    }

    @Benchmark
    public PublicKey keyFromJwksPerRequest() throws Exception {
        try {
            Base64.getDecoder()
                    .decode(jwks.replaceAll("-----BEGIN (.*)-----", "").trim());
        } catch (IllegalArgumentException notPem) {
            // Payara first tries the document as PEM and fails, every time
        }
        return keyFromJwks(jwks, minter.kid());
    }

    @Benchmark
    public Object verifyWithKnownKey() throws Exception {
        return consumer.processToClaims(token);
    }

    @Benchmark
    public CredentialValidationResult gateRemembered() {
        return gate.validate(credential);
    }

    static PublicKey keyFromJwks(String jwks, String kid) throws Exception {
        JsonObject document = JSON.createReader(new StringReader(jwks)).readObject();
        for (JsonValue value : document.getJsonArray("keys")) {
            JsonObject jwk = value.asJsonObject();
            if (kid.equals(jwk.getString("kid"))) {
                BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")));
                BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")));
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
        }
        throw new IllegalStateException("no key " + kid);
    }
}
