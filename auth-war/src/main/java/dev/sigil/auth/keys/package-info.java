/**
 * Signing keys. A key pair is generated at first start and kept in the auth database (never in
 * the source tree or the WAR), sealed with a secret kept outside the database, so tokens stay
 * valid across restarts and a copy of the database yields no key; the public halves are
 * published as a JWKS for every service that validates tokens.
 */
package dev.sigil.auth.keys;
