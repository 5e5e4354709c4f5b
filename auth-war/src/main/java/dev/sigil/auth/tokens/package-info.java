/**
 * Access tokens: short-lived JWTs signed with jose4j, shaped for MicroProfile JWT validators
 * ({@code typ: JWT}, {@code kid}, and the claims {@code iss sub groups aud iat exp jti}, plus
 * {@code upn} when configured), each for exactly one audience; and the check that auth's own
 * endpoints see only tokens for auth.
 */
package dev.sigil.auth.tokens;
