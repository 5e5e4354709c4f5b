package dev.sigil.auth.users.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.jwt.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Who holds admin power now: read from the database on every admin call, never from a token's
 * {@code groups}, which an account keeps for the token's lifetime after being disabled or
 * demoted. Changes to admin power serialise on one lock row, so two administrators acting at the
 * same moment each see what the other did.
 */
@ApplicationScoped
public class Administrators {

    @PersistenceContext
    EntityManager em;

    /** Whether the account exists, is enabled and is in group admin, as last committed. */
    public boolean isActive(String userId) {
        return userId != null
                && em.createNamedQuery(User.ACTIVE_ADMIN, Long.class)
                                .setParameter("id", userId)
                                .setParameter("group", Roles.ADMIN)
                                .getSingleResult()
                        > 0;
    }

    /** How many enabled accounts are in group admin. */
    long activeCount() {
        return em.createNamedQuery(User.ACTIVE_ADMINS, Long.class)
                .setParameter("group", Roles.ADMIN)
                .getSingleResult();
    }

    /**
     * Takes the administration lock row (migration V4) until the transaction ends; call it
     * before reading the accounts a change depends on.
     */
    void lock() {
        em.createNativeQuery("SELECT name FROM sigil_lock WHERE name = 'administrators' FOR UPDATE")
                .getResultList();
    }
}
