/**
 * The business service: the protected side of the system. It holds no user data and no secret;
 * it trusts a caller only through a signed access token from the auth service.
 */
package dev.sigil.business;
