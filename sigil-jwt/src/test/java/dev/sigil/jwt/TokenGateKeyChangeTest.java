package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.jwt.TokenGateTest.BearerCredential;
import dev.sigil.testkit.TokenMinter;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate right after the key mirror learned a key, while the validator may still hold the key
 * set from before (it re-reads the mirror's copy at most every {@link #TTL_MS}).
 */
class TokenGateKeyChangeTest {

    static final TokenMinter OLD = new TokenMinter("iss", "aud");
    static final TokenMinter NEW = new TokenMinter("iss", "aud");
    static final long TTL_MS = 2000;
    static final int WAITING = 2;

    /** The validator, which sees a key only {@link #TTL_MS} after the mirror learned it. */
    static final class LaggingValidator implements IdentityStore {
        final AtomicInteger calls = new AtomicInteger();
        volatile long seesNewKeyAtNanos = Long.MAX_VALUE;
        volatile boolean forged;

        @Override
        public CredentialValidationResult validate(Credential credential) {
            calls.incrementAndGet();
            boolean caughtUp = System.nanoTime() - seesNewKeyAtNanos >= 0;
            return caughtUp && !forged
                    ? new CredentialValidationResult("someone", Set.of("user"))
                    : CredentialValidationResult.INVALID_RESULT;
        }
    }

    @TempDir
    Path dir;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final LaggingValidator validator = new LaggingValidator();
    final TokenGate gate = new TokenGate();
    volatile String published = jwks(OLD);
    /** Minted before the key change, so the floods run within the validator's catch-up time. */
    final List<String> oldKeyTokens = tokens(OLD);

    final List<String> newKeyTokens = tokens(NEW);

    @BeforeEach
    void learnTheNewKey() throws Exception {
        Files.writeString(dir.resolve("jwks.json"), published);
        KeyMirror mirror = new KeyMirror();
        mirror.refreshSeconds = 3600;
        mirror.unknownKidWaitMs = 200;
        mirror.minRefetchSeconds = 5;
        mirror.maxWaitingRequests = WAITING;
        mirror.open(
                new KeySource() {
                    @Override
                    public KeySet fetch() {
                        return KeySet.parse(published);
                    }

                    @Override
                    public String describe() {
                        return "the test";
                    }
                },
                dir.resolve("jwks.json"),
                scheduler);
        assertTrue(mirror.knows(OLD.kid()), "known for long, from the copy on disk");
        published = jwks(OLD, NEW);
        mirror.refresh();
        validator.seesNewKeyAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TTL_MS);
        assertTrue(mirror.knows(NEW.kid()));
        gate.keys = mirror;
        gate.validators = List.of(validator);
        gate.skewSeconds = 60;
        gate.maxLifetimeSeconds = 86400;
        gate.cacheSize = 100;
        gate.validatorKeyTtlMs = TTL_MS;
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
    }

    static String jwks(TokenMinter... minters) {
        return "{\"keys\":["
                + String.join(
                        ",", List.of(minters).stream().map(TokenMinter::jwk).toList()) + "]}";
    }

    @Test
    void aTokenOfTheNewKeyIsAskedAgainOnceTheValidatorHasCaughtUp() {
        long start = System.nanoTime();
        CredentialValidationResult result = gate.validate(new BearerCredential(NEW.token("alice", "user")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(CredentialValidationResult.Status.VALID, result.getStatus());
        assertEquals(2, validator.calls.get(), "refused by the lagging validator, then accepted");
        assertTrue(ms <= TTL_MS + 400, "waited " + ms + " ms");
    }

    @Test
    void aFloodOfForgedTokensRightAfterAKeyChangeHoldsAtMostTheWaitingPlaces() throws Exception {
        validator.forged = true;
        List<String> tokens = new ArrayList<>(oldKeyTokens);
        tokens.addAll(newKeyTokens);
        List<Long> ms = validateAtOnce(tokens);
        List<Long> oldKey = ms.subList(0, oldKeyTokens.size());
        List<Long> newKey = ms.subList(oldKeyTokens.size(), ms.size());
        assertTrue(oldKey.stream().allMatch(each -> each < TTL_MS / 2), "tokens of the old key never wait: " + oldKey);
        long waited = newKey.stream().filter(each -> each >= TTL_MS / 2).count();
        assertTrue(waited <= WAITING, waited + " of " + newKey.size() + " forged tokens of the new key waited");
        assertTrue(waited >= 1, "the flood ran while the validator could still lag");
        assertTrue(validator.calls.get() <= tokens.size() + WAITING, "only those were asked again");
    }

    static List<String> tokens(TokenMinter key) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tokens.add(key.token("mallory-" + i, "user"));
        }
        return tokens;
    }

    /** Validates each token from its own thread, all at once; the time each took (ms). */
    private List<Long> validateAtOnce(List<String> tokens) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(tokens.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> times = new ArrayList<>();
            for (String token : tokens) {
                times.add(threads.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    assertEquals(
                            CredentialValidationResult.Status.INVALID,
                            gate.validate(new BearerCredential(token)).getStatus());
                    return (System.nanoTime() - start) / 1_000_000;
                }));
            }
            go.countDown();
            List<Long> ms = new ArrayList<>();
            for (Future<Long> time : times) {
                ms.add(time.get());
            }
            return ms;
        } finally {
            threads.shutdownNow();
        }
    }
}
