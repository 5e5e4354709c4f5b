/**
 * Logging in: email and password in, a signed access token out. Every failure looks the same
 * from outside, so the endpoint cannot be used to learn which emails have accounts.
 */
package dev.sigil.auth.login;
