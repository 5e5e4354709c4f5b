package dev.sigil.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
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
 * Signing an access token as the auth service's TokenIssuer does (claims to JSON, JWS compact
 * serialization), with a 2048-bit RSA key and with a P-256 key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {

    PublicJsonWebKey rsa;
    PublicJsonWebKey ec;

    @Setup
    public void keys() throws Exception {
        rsa = RsaJwkGenerator.generateJwk(2048);
        rsa.setKeyId("rsa");
        rsa.setAlgorithm("RS256");
        ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        ec.setKeyId("ec");
        ec.setAlgorithm("ES256");
    }

    @Benchmark
    public String signRs256() throws Exception {
        return sign(rsa);
    }

    @Benchmark
    public String signEs256() throws Exception {
        return sign(ec);
    }

    static String sign(PublicJsonWebKey key) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://localhost:8080/auth");
        claims.setSubject("7b0c1c84-6e0f-4a3e-9d7e-2f4a9c1b8e11");
        claims.setStringListClaim("groups", List.of("user"));
        claims.setClaim("aud", List.of("business"));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setHeader("typ", "JWT");
        return jws.getCompactSerialization();
    }
}
