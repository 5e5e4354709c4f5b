package dev.sigil.auth.users.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Creates and finds accounts. Uniqueness of the normalised email is enforced by the database,
 * so two registrations racing for one email cannot both succeed.
 */
@ApplicationScoped
public class UserRegistry {

    @PersistenceContext
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    /** What an account's owner and administrators see of it: never its password hash. */
    public record Profile(String id, String email, List<String> groups, Instant createdAt) {

        public static Profile of(User user) {
            return new Profile(user.id(), user.email(), List.copyOf(new TreeSet<>(user.groups())), user.createdAt());
        }
    }

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
        User user = new User(email, passwordHash, Instant.now(Clock.systemUTC()));
        em.persist(user);
        try {
            em.flush();
        } catch (PersistenceException raced) {
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

    /** Replaces a user's stored hash with one of today's parameters. */
    @Transactional
    public void rehash(String userId, String passwordHash) {
        findById(userId).ifPresent(user -> user.passwordHash(passwordHash));
    }

    /**
     * The profile of an account, read with one statement outside any transaction. It is read on
     * every {@code GET /users/me}: loading the entity instead took a JTA transaction and two
     * queries (the account, then its groups), about a fifth of that request's CPU time under
     * load. Nothing is cached, so a change made through another auth instance shows at once.
     */
    public Optional<Profile> profile(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT u.email, u.created_at, g.group_name FROM sigil_user u"
                                + " LEFT JOIN sigil_user_group g ON g.user_id = u.id WHERE u.id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                String email = null;
                OffsetDateTime createdAt = null;
                TreeSet<String> groups = new TreeSet<>();
                while (rows.next()) {
                    email = rows.getString(1);
                    createdAt = rows.getObject(2, OffsetDateTime.class);
                    String group = rows.getString(3);
                    if (group != null) {
                        groups.add(group);
                    }
                }
                return email == null ? Optional.empty()
                        : Optional.of(new Profile(id, email, List.copyOf(groups), createdAt.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the account", e);
        }
    }

    public Optional<User> findById(String id) {
        return Optional.ofNullable(em.find(User.class, id));
    }

    /** One page of all accounts, oldest first, and how many there are. */
    public Page page(int page, int size) {
        List<User> users = em.createNamedQuery(User.ALL, User.class)
                .setFirstResult(Math.multiplyExact(page, size)).setMaxResults(size).getResultList();
        return new Page(users, em.createNamedQuery(User.COUNT, Long.class).getSingleResult());
    }

    public record Page(List<User> users, long total) {
    }

    /** Makes sure the operator-configured admin exists and is an admin; keeps its password if it does. */
    @Transactional
    public User ensureAdmin(String email, String password) {
        User admin = findByEmail(email).orElseGet(() -> {
            User created = new User(email, hasher.hash(password), Instant.now(Clock.systemUTC()));
            em.persist(created);
            return created;
        });
        admin.grantAdmin();
        return admin;
    }

    private static ApiException emailTaken() {
        return new ApiException(409, "Email already registered");
    }
}
