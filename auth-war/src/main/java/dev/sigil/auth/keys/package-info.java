/**
 * Signing keys. A key pair is generated at first start and kept in the auth database (never in
 * the source tree or the WAR), so tokens stay valid across restarts; the public halves are
 * published as a JWKS for every service that validates tokens.
 */
package dev.sigil.auth.keys;
