package dev.mrkenvelope.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.MultiRegionKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "Testing your code" example, verbatim between the snippet markers. */
// snippet-start testing-your-code
class RegionOutageTest {
  static final byte[] ORDER = "order 1234".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder()
          .regions("us-east-1", "eu-west-1")
          .provide(
              KmsRouter.class,
              kit ->
                  KmsRouter.builder()
                      .regions(kit.regions())
                      .clientFactory(kit.clientFactory())
                      .build())
          .build();

  @Test
  void decryptsInEuWest1_whenUsEast1IsDown(
      @MultiRegionKey String keyArn, KmsRouter router, LocalKms local) {
    EnvelopeClient client =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(keyArn).router(router).build())
            .build();
    byte[] message = client.encrypt(ORDER, Map.of("tenant", "acme")).ciphertext();

    local.faults("us-east-1").outage(); // healed after this test

    assertThat(client.decrypt(message).plaintext()).isEqualTo(ORDER);
    assertThat(local.requestCount("eu-west-1", "Decrypt")).isEqualTo(1);
  }
}
// snippet-end testing-your-code
