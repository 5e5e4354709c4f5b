/**
 * The auth service: the only place that knows users. It checks credentials against its own user
 * store ({@code users}, {@code login}), signs access tokens ({@code tokens}) with keys it generates
 * and keeps in its own database, and publishes their public halves as a JWKS ({@code keys}).
 */
package dev.sigil.auth;
