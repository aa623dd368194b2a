package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.kmslocal.LocalKms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/** The one SDK client set-up: real signed requests to the right region, one attempt per call. */
class SdkClientsTest {
  @RegisterExtension
  static final LocalKmsExtension KIT = LocalKmsExtension.builder().regions("eu-west-1").build();

  @Test
  void client_reachesItsRegionWithDummyCredentials(LocalKms kms) {
    String keyId = kms.createKey("eu-west-1");
    kms.resetRequestCounts();
    try (KmsClient client = SdkClients.sdkClient(kms, "eu-west-1")) {
      assertThat(client.describeKey(b -> b.keyId(keyId)).keyMetadata().arn())
          .isEqualTo(kms.keyArn("eu-west-1", keyId));
    }
    assertThat(kms.requestCount("eu-west-1", "DescribeKey")).isEqualTo(1);
  }

  @Test
  void throttledCall_isNotRetriedBySdk(LocalKms kms) {
    String keyId = kms.createKey("eu-west-1");
    kms.resetRequestCounts();
    kms.faults("eu-west-1").throttle(1.0);
    try (KmsClient client = SdkClients.sdkClient(kms, "eu-west-1")) {
      assertThatThrownBy(() -> client.describeKey(b -> b.keyId(keyId)))
          .isInstanceOfSatisfying(
              KmsException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
    }
    // The SDK's default strategy would have made 3 attempts.
    assertThat(kms.requestCount("eu-west-1", "DescribeKey")).isEqualTo(1);
  }

  @Test
  void regionNotServed_failsNamingTheRegionsServed(LocalKms kms) {
    assertThatThrownBy(() -> SdkClients.sdkClient(kms, "us-west-2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("us-west-2")
        .hasMessageContaining("eu-west-1");
  }

  @Test
  void credentials_signAClientBuiltByHand(LocalKms kms) {
    String keyId = kms.createKey("eu-west-1");
    try (KmsClient client =
        KmsClient.builder()
            .endpointOverride(kms.endpoint("eu-west-1"))
            .region(Region.EU_WEST_1)
            .credentialsProvider(SdkClients.credentials())
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      assertThat(client.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId()).isEqualTo(keyId);
    }
    assertThat(SdkClients.credentials().resolveCredentials().accessKeyId()).isNotBlank();
  }
}
