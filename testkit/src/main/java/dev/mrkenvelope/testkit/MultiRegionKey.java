package dev.mrkenvelope.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks a {@link LocalKmsExtension} for a new multi-region key, injected as its ARN in the primary
 * region: {@code void test(@MultiRegionKey String keyArn)}. Each annotated parameter gets its own
 * key, replicated to every other region of the extension.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MultiRegionKey {
  /** The primary region; empty (the default) means the extension's first region. */
  String primary() default "";
}
