package dev.sigil.auth.users.control;

/**
 * Fired, inside the changing transaction, when a user's existing sessions must end: the
 * password changed or the account was disabled. The sessions component ends them.
 */
public record CredentialsRevoked(String userId) {
}
