package dev.mrkenvelope.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the region of an injected {@code KmsClient} parameter when a {@link LocalKmsExtension}
 * serves more than one region: {@code void test(@InRegion("eu-west-1") KmsClient eu)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InRegion {
  /** The region, e.g. {@code "eu-west-1"}; one of the extension's regions. */
  String value();
}
