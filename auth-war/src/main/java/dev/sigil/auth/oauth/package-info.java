/**
 * Sigil as an OAuth 2.0 authorization server, next to its JSON API: the token endpoint
 * (password and refresh token grants for public first-party clients, client credentials for
 * confidential clients), revocation (RFC 7009), introspection (RFC 7662), and the confidential
 * clients administrators register. Its grants reuse the JSON API's control classes, so both
 * paths apply the same throttling, rotation, reuse detection and audience rules.
 */
package dev.sigil.auth.oauth;
