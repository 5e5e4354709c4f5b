package dev.sigil.jwt;

/**
 * The roles every Sigil service knows, one constant each: the values auth writes into a token's
 * {@code groups} claim and stores as an account's groups, and the names services declare
 * ({@code @DeclareRoles}) and require ({@code @RolesAllowed}).
 */
public final class Roles {

    /** Every account: its own account, sessions and the business endpoints. */
    public static final String USER = "user";

    /** Administrators: accounts, signing keys, and every order in business. */
    public static final String ADMIN = "admin";

    /**
     * A service that reads every order in business and changes none, such as a reporting job
     * with a client-credentials token.
     */
    public static final String ORDERS_READER = "orders-reader";

    private Roles() {}
}
