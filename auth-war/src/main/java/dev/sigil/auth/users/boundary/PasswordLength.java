package dev.sigil.auth.users.boundary;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A new password's length: 12 to 128 characters of the form that is hashed (see {@link Registration}); null passes. */
@Documented
@Constraint(validatedBy = PasswordLength.Check.class)
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
public @interface PasswordLength {

    String message() default Registration.PASSWORD_LENGTH_MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<PasswordLength, String> {

        @Override
        public boolean isValid(String password, ConstraintValidatorContext context) {
            return password == null || Registration.hasPasswordLength(password);
        }
    }
}
