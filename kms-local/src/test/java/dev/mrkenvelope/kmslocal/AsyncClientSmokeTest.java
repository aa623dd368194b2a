package dev.mrkenvelope.kmslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsAsyncClient;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsInternalException;

class AsyncClientSmokeTest {
  @Test
  void asyncClient_generatesDecryptsAndSeesFaults() {
    try (LocalKms kms = LocalKms.builder().regions("eu-north-1", "eu-south-1").start();
        KmsAsyncClient north = client(kms, "eu-north-1");
        KmsAsyncClient south = client(kms, "eu-south-1")) {
      String id = kms.createMultiRegionKey("eu-north-1", "eu-south-1");
      GenerateDataKeyResponse g =
          north
              .generateDataKey(
                  b -> b.keyId(id).numberOfBytes(32).encryptionContext(Map.of("a", "b")))
              .join();
      SdkBytes plain =
          south
              .decrypt(
                  b -> b.ciphertextBlob(g.ciphertextBlob()).encryptionContext(Map.of("a", "b")))
              .join()
              .plaintext();
      assertThat(plain).isEqualTo(g.plaintext());

      kms.faults("eu-south-1").error("KMSInternalException", 1.0);
      assertThatThrownBy(
              () ->
                  south
                      .decrypt(
                          b ->
                              b.ciphertextBlob(g.ciphertextBlob())
                                  .encryptionContext(Map.of("a", "b")))
                      .join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(KmsInternalException.class);
    }
  }

  private static KmsAsyncClient client(LocalKms kms, String region) {
    return KmsAsyncClient.builder()
        .endpointOverride(kms.endpoint(region))
        .region(Region.of(region))
        .credentialsProvider(SdkClients.CREDENTIALS)
        .httpClient(NettyNioAsyncHttpClient.builder().build())
        .overrideConfiguration(
            c ->
                c.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
