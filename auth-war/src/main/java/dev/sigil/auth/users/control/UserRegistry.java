package dev.sigil.auth.users.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.data.KeyContention;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The account store: creates accounts and finds them, through JPA. Uniqueness of the
 * normalised email is enforced by the database, so two registrations racing for one email
 * cannot both succeed. Changing an existing account, and what such a change sets off (ended
 * sessions, the administrator rules), is {@link Accounts}' job; what its owner sees of an
 * account is read by {@link Profiles}.
 */
@ApplicationScoped
public class UserRegistry {

    @PersistenceContext
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Inject
    Administrators administrators;

    Clock clock = Clock.systemUTC();

    /**
     * The password is hashed first, also when the email turns out to be taken, so the answer
     * takes as long either way and its timing does not add to what the 409 says.
     *
     * @throws ApiException 409 when the email is taken (in any letter case)
     */
    @Transactional
    public User register(String email, String password) {
        String passwordHash = hasher.hash(password);
        if (findByEmail(email).isPresent()) {
            throw emailTaken();
        }
        User user = new User(email, passwordHash, clock.instant());
        em.persist(user);
        try {
            em.flush();
        } catch (PersistenceException raced) {
            if (!KeyContention.causes(raced)) {
                throw raced; // the database's failure, not a taken email: a 5xx, logged
            }
            throw emailTaken();
        }
        return user;
    }

    public Optional<User> findByEmail(String email) {
        return em.createNamedQuery(User.BY_EMAIL, User.class)
                .setParameter("email", User.normalizeEmail(email))
                .getResultStream()
                .findFirst();
    }

    /**
     * Replaces a user's stored hash with one of today's parameters, unless it is no longer the
     * hash the password was verified against: a password change that committed meanwhile must
     * not be undone by a login with the old password. The account as stored now, or none then.
     */
    @Transactional
    public Optional<User> rehash(String userId, String verifiedHash, String passwordHash) {
        Optional<User> user =
                findLocked(userId).filter(stored -> stored.passwordHash().equals(verifiedHash));
        user.ifPresent(stored -> stored.passwordHash(passwordHash));
        return user;
    }

    /**
     * The user, its row locked until the transaction ends, as session starts, refreshes and
     * revocations lock it: changes of credentials made this way run one after the other.
     */
    public Optional<User> findLocked(String id) {
        User user = em.find(User.class, id);
        if (user != null) {
            // refresh, not find with a lock: an account this transaction read before would come
            // back as it was read, not as it is now
            em.refresh(user, LockModeType.PESSIMISTIC_WRITE);
        }
        return Optional.ofNullable(user);
    }

    public Optional<User> findById(String id) {
        return Optional.ofNullable(em.find(User.class, id));
    }

    /** One page of all accounts, oldest first, and how many there are. */
    public Page page(int page, int size) {
        List<User> users = em.createNamedQuery(User.ALL, User.class)
                .setFirstResult(Math.multiplyExact(page, size))
                .setMaxResults(size)
                .getResultList();
        return new Page(users, em.createNamedQuery(User.COUNT, Long.class).getSingleResult());
    }

    public record Page(List<User> users, long total) {}

    /**
     * Makes sure the operator-configured admin exists and is an admin; keeps its password if it
     * does. The password is checked against the very account promoted, in this transaction: one
     * registered by someone else since the caller looked is not promoted. An existing account
     * that is no administrator is made one only while no enabled administrator exists: the
     * setting makes the first administrator and regains access when none is left, and must not
     * undo, at every start, an administrator's demotion of that account.
     *
     * @return the administrator; empty when the existing account was left as it is
     * @throws IllegalStateException when the account exists with another password
     */
    @Transactional
    public Optional<User> ensureAdmin(String email, String password) {
        User admin = findByEmail(email).orElse(null);
        if (admin == null) {
            admin = new User(email, hasher.hash(password), clock.instant());
            em.persist(admin);
        } else if (!hasher.verify(password, admin.passwordHash())) {
            throw AdminBootstrap.anotherPassword(admin.email());
        } else if (!admin.admin()) {
            administrators.lock();
            if (administrators.activeCount() > 0) {
                return Optional.empty();
            }
        }
        admin.grantAdmin();
        return Optional.of(admin);
    }

    private static ApiException emailTaken() {
        return new ApiException(409, "Email already registered");
    }
}
