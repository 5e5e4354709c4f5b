package dev.sigil.auth.tokens.control;

/**
 * A signed access token and its lifetime in seconds, as the token response reports it.
 *
 * @param value the compact JWS
 * @param expiresIn seconds from issue to expiry
 */
public record AccessToken(String value, long expiresIn) {}
