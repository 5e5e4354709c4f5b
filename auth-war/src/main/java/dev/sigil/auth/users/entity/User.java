package dev.sigil.auth.users.entity;

import dev.sigil.jwt.Roles;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A user account. Its random UUID is the token subject, so tokens never carry anything that
 * changes when the user changes their email.
 */
@Entity
@Table(name = "sigil_user", uniqueConstraints = @UniqueConstraint(name = "uk_user_email", columnNames = "email"))
@NamedQuery(name = User.BY_EMAIL, query = "select u from User u where u.email = :email")
@NamedQuery(name = User.ALL, query = "select u from User u order by u.createdAt, u.id")
@NamedQuery(name = User.COUNT, query = "select count(u) from User u")
@NamedQuery(
        name = User.ACTIVE_ADMIN,
        query = "select count(u) from User u join u.groups g where u.id = :id and u.enabled = true and g = :group")
@NamedQuery(
        name = User.ACTIVE_ADMINS,
        query = "select count(u) from User u join u.groups g where u.enabled = true and g = :group")
public class User {

    public static final String BY_EMAIL = "User.byEmail";
    public static final String ALL = "User.all";
    public static final String COUNT = "User.count";
    public static final String ACTIVE_ADMIN = "User.activeAdmin";
    public static final String ACTIVE_ADMINS = "User.activeAdmins";

    @Id
    @Column(length = 36)
    private String id;

    @Column(nullable = false, length = 254)
    private String email;

    @Column(name = "password_hash", nullable = false, length = 512)
    private String passwordHash;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sigil_user_group", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "group_name", nullable = false, length = 64)
    private Set<String> groups = new LinkedHashSet<>();

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private boolean enabled;

    protected User() {}

    public User(String email, String passwordHash, Instant createdAt) {
        this.id = UUID.randomUUID().toString();
        this.email = normalizeEmail(email);
        this.passwordHash = passwordHash;
        this.createdAt = createdAt;
        this.enabled = true;
        this.groups.add(Roles.USER);
    }

    /** The one spelling of an email that is stored and looked up. */
    public static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public void grantAdmin() {
        groups.add(Roles.ADMIN);
    }

    public void revokeAdmin() {
        groups.remove(Roles.ADMIN);
    }

    public boolean admin() {
        return groups.contains(Roles.ADMIN);
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Replaces the stored hash, after a password change or to upgrade its parameters. */
    public void passwordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public String id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public Set<String> groups() {
        return Collections.unmodifiableSet(groups);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public boolean enabled() {
        return enabled;
    }
}
