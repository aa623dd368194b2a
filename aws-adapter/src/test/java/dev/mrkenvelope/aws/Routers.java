package dev.mrkenvelope.aws;

import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Routers on a test class's kms-local, closed after the class: attempt timeout 1 s and call timeout
 * 5 s, generous so that a loaded CI box does not fail over by accident; tests that need short
 * timeouts set them with {@code more}.
 */
final class Routers {
  private Routers() {}

  static KmsRouter router(
      LocalKmsExtension kms, List<String> regions, Consumer<KmsRouter.Builder> more) {
    KmsRouter.Builder b =
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(kms.clientFactory())
            .attemptTimeout(Duration.ofSeconds(1))
            .callTimeout(Duration.ofSeconds(5));
    more.accept(b);
    return kms.closeAfterAll(b.build());
  }

  static KmsRouter router(LocalKmsExtension kms, String... regions) {
    return router(kms, List.of(regions), b -> {});
  }
}
