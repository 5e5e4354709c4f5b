package dev.sigil.auth.tokens.boundary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a resource method of auth to access tokens of every audience the validator accepts
 * ({@code mp.jwt.verify.audiences}: auth's own and the other services'), not only auth's. Every
 * other method sees only tokens for auth (see {@link SelfAudienceFeature}), so a new endpoint is
 * closed to business tokens unless it says otherwise. For read-only answers about the caller,
 * like OIDC's userinfo, and for the OAuth 2.0 endpoints, which take no identity from a bearer
 * token (they authenticate clients themselves, so a bearer token there is answered in the
 * protocol's terms, as no client authentication); never for a change made as the token's subject.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnyAudience {}
