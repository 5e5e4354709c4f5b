/**
 * Accounts: registration, the user entity and password hashing. Emails are stored normalised
 * (trimmed, lower case) so uniqueness is case-insensitive; passwords only as PBKDF2 hashes.
 * Who is an administrator is also decided here, from the database on every admin call
 * ({@code boundary.AdministratorCheck}), for this component's and the keys' admin endpoints.
 */
package dev.sigil.auth.users;
