package dev.sigil.auth.tokens.boundary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a resource method of auth to access tokens of every audience the validator accepts
 * ({@code mp.jwt.verify.audiences}: auth's own and the other services'), not only auth's. Every
 * other method that needs a caller sees only tokens for auth (see {@link SelfAudienceFeature}),
 * so a new endpoint is closed to business tokens unless it says otherwise; public methods
 * ({@code @PermitAll}) take no identity from a token and are not checked. For read-only answers about the caller,
 * like OIDC's userinfo; never for a change.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnyAudience {}
