/**
 * Test fixtures shared by every module's tests: an HTTP client speaking JSON, minted tokens and
 * a JWKS server for them, the server endpoints every WAR serves, and the test users' credentials.
 */
package dev.sigil.testkit;
