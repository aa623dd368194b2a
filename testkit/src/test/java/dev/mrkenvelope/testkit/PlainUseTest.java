package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.kmslocal.LocalKms;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;

/** The extension as a plain object, as a jqwik container uses it: start on use, close by hand. */
class PlainUseTest {
  @Test
  void close_stopsKmsLocalAndALaterCallStartsANewOne() throws Exception {
    LocalKmsExtension kit = LocalKmsExtension.builder().regions("eu-west-1").build();
    LocalKms first = kit.kms();
    KmsClient client = kit.client("eu-west-1");
    String keyId = first.createKey("eu-west-1");
    assertThat(client.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId()).isEqualTo(keyId);

    kit.close();

    // kms-local no longer answers on its old endpoint.
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId(keyId)))
        .isInstanceOf(SdkClientException.class);
    LocalKms second = kit.kms();
    assertThat(second).isNotSameAs(first);
    kit.close();
  }
}
