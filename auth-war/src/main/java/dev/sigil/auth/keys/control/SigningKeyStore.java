package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.entity.SigningKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/** Reads and writes stored signing keys. */
@ApplicationScoped
public class SigningKeyStore {

    @PersistenceContext
    EntityManager em;

    public List<SigningKey> newestFirst() {
        return em.createNamedQuery(SigningKey.NEWEST_FIRST, SigningKey.class).getResultList();
    }

    @Transactional
    public void add(SigningKey key) {
        em.persist(key);
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
