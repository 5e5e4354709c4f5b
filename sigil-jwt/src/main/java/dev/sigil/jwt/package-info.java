/**
 * Validating access tokens, for every service including auth itself. It owns the path from a
 * bearer token to a caller: the {@link dev.sigil.jwt.TokenGate} in front of Payara's validator,
 * the {@link dev.sigil.jwt.VerifiedTokenCache} where verified tokens are cached, the
 * {@link dev.sigil.jwt.KeyMirror}'s local copy of the auth service's JWKS, the revocation list
 * and its sources, and the {@link dev.sigil.jwt.Roles} every service grants.
 */
package dev.sigil.jwt;
