package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.entity.SigningKey;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Key rings over an in-memory key store, for unit tests of everything that signs. */
public final class TestKeyRings {

    /** The key-encryption secret of the rings made here: 32 bytes in base64url, like a generated one. */
    public static final String SECRET = "c2lnaWwtdGVzdC1rZXktZW5jcnlwdGlvbi1zZWNyZXQ";

    private TestKeyRings() {}

    /** The database, as far as the key ring sees it. */
    public static class MemoryStore extends SigningKeyStore {
        final List<SigningKey> keys = new CopyOnWriteArrayList<>();

        @Override
        public List<SigningKey> newestFirst() {
            return keys.stream()
                    .sorted(Comparator.comparing(SigningKey::createdAt).reversed())
                    .toList();
        }

        @Override
        public void add(SigningKey key) {
            keys.add(key);
        }

        @Override
        public void reseal(String kid, String sealed) {
            keys.replaceAll(key -> key.kid().equals(kid)
                    ? new SigningKey(kid, key.algorithm(), sealed, key.createdAt(), key.activatesAt())
                    : key);
        }

        @Override
        public void remove(String kid) {
            keys.removeIf(key -> key.kid().equals(kid));
        }

        /** The database lock, as one monitor: rings over one store share it as instances share the row. */
        @Override
        public synchronized <T> T exclusively(Supplier<T> decision) {
            return decision.get();
        }
    }

    /** A key ring as a fresh start over {@code store} would see it. */
    public static KeyRing over(SigningKeyStore store) {
        KeyRing ring = new KeyRing();
        ring.store = store;
        ring.vault = KeyVault.of(SECRET, null);
        ring.generator = new KeyGenerator();
        ring.generator.algorithm = "RS256";
        ring.generator.rsaBits = 2048;
        ring.publishLeadSeconds = 120;
        ring.reloadSeconds = 10;
        ring.tokenLifetimeSeconds = 300;
        ring.skewSeconds = 60;
        return ring;
    }

    /** The periodic maintenance of {@code ring}, rotating every 30 days. */
    public static KeyMaintenance maintenance(KeyRing ring) {
        return KeyMaintenance.of(ring, 30 * 86_400);
    }

    /** A key ring with a database of its own. */
    public static KeyRing fresh() {
        return over(new MemoryStore());
    }
}
