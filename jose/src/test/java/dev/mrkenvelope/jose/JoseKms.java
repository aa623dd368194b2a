package dev.mrkenvelope.jose;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.time.Duration;

/** Routers and signing keys on a test class's {@link LocalKmsExtension}, for the JOSE tests. */
final class JoseKms {
  private JoseKms() {}

  /**
   * The extension for a test class: replicas made through the SDK are usable at once (no Creating
   * state to wait for here).
   */
  static LocalKmsExtension extension(String... regions) {
    return LocalKmsExtension.builder().regions(regions).replicaCreation(Duration.ZERO).build();
  }

  /**
   * A router over {@code regions}, attempt timeout 700 ms (a blackholed Region costs that), closed
   * after the class.
   */
  static KmsRouter router(LocalKmsExtension kms, String... regions) {
    return kms.closeAfterAll(
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(kms.clientFactory())
            .attemptTimeout(Duration.ofMillis(700))
            .callTimeout(Duration.ofSeconds(5))
            .build());
  }
}
