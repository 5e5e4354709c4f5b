package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.entity.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.Supplier;

/** Reads and writes stored signing keys. */
@ApplicationScoped
public class SigningKeyStore {

    @PersistenceContext
    EntityManager em;

    /**
     * In a transaction of its own, like the writes: the key ring reads from a scheduler thread,
     * where an entity manager outside a transaction is bound to whatever invocation the thread
     * last ran and was seen closed under Payara's data grid ("Attempting to execute an operation
     * on a closed EntityManager", every reload, on every thread).
     */
    @Transactional
    public List<SigningKey> newestFirst() {
        return em.createNamedQuery(SigningKey.NEWEST_FIRST, SigningKey.class).getResultList();
    }

    @Transactional
    public void add(SigningKey key) {
        em.persist(key);
    }

    /**
     * Runs {@code decision} in one transaction holding the signing-key lock row, which every auth
     * instance sharing the database takes before it creates a key: the second instance waits,
     * then sees the first one's key when it reads.
     */
    @Transactional
    public <T> T exclusively(Supplier<T> decision) {
        em.createNativeQuery("SELECT name FROM sigil_lock WHERE name = 'signing-keys' FOR UPDATE")
                .getResultList();
        return decision.get();
    }

    /** Replaces a key's stored private part by the same key sealed with another secret. */
    @Transactional
    public void reseal(String kid, String sealed) {
        em.find(SigningKey.class, kid).reseal(sealed);
    }

    /** Deletes a key that no token it signed can still use. */
    @Transactional
    public void remove(String kid) {
        SigningKey key = em.find(SigningKey.class, kid);
        if (key != null) {
            em.remove(key);
        }
    }
}
