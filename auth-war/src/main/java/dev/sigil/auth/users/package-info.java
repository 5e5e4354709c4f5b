/**
 * Accounts: registration, the user entity and password hashing. Emails are stored normalised
 * (trimmed, lower case) so uniqueness is case-insensitive; passwords only as PBKDF2 hashes.
 */
package dev.sigil.auth.users;
