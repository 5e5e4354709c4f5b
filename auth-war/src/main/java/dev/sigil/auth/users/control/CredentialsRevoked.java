package dev.sigil.auth.users.control;

/**
 * Fired, inside the changing transaction, when a user's existing sessions must end: the
 * password changed, the account was disabled or it lost the admin group. The sessions
 * component ends them.
 */
public record CredentialsRevoked(String userId) {}
