package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.kmslocal.LocalKms;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** What a test class sees through the extension: kms-local, SDK clients, keys, provided objects. */
class LocalKmsExtensionTest {
  static final AtomicInteger BUILT = new AtomicInteger();

  /** Stands for a router: built from the running extension, once per class. */
  record Provided(LocalKmsExtension kit) {
    Provided {
      BUILT.incrementAndGet();
    }
  }

  @RegisterExtension
  static final LocalKmsExtension KIT =
      LocalKmsExtension.builder()
          .regions("us-east-1", "eu-west-1", "ap-southeast-1")
          .account("444455556666")
          .provide(Provided.class, Provided::new)
          .build();

  @Test
  void injectedKey_isAMultiRegionKeyReplicatedToEveryOtherRegion(
      @MultiRegionKey String keyArn, @InRegion("eu-west-1") KmsClient eu) {
    assertThat(keyArn).startsWith("arn:aws:kms:us-east-1:444455556666:key/mrk-");

    KeyMetadata replica =
        eu.describeKey(b -> b.keyId(KIT.arnIn("eu-west-1", keyArn))).keyMetadata();

    assertThat(replica.multiRegion()).isTrue();
    assertThat(replica.multiRegionConfiguration().primaryKey().region()).isEqualTo("us-east-1");
    assertThat(replica.multiRegionConfiguration().replicaKeys())
        .extracting(k -> k.region())
        .containsExactlyInAnyOrder("eu-west-1", "ap-southeast-1");
  }

  @Test
  void dataKeyFromThePrimary_decryptsInAReplica(
      @MultiRegionKey String keyArn,
      @InRegion("us-east-1") KmsClient us,
      @InRegion("ap-southeast-1") KmsClient ap) {
    Map<String, String> context = Map.of("tenant", "acme");
    GenerateDataKeyResponse dk =
        us.generateDataKey(b -> b.keyId(keyArn).numberOfBytes(32).encryptionContext(context));
    SdkBytes blob = dk.ciphertextBlob();

    DecryptResponse out =
        ap.decrypt(
            b ->
                b.keyId(KIT.arnIn("ap-southeast-1", keyArn))
                    .ciphertextBlob(blob)
                    .encryptionContext(context));

    assertThat(out.plaintext()).isEqualTo(dk.plaintext());
  }

  @Test
  void keyWithAnotherPrimary_isCreatedThere(@MultiRegionKey(primary = "eu-west-1") String keyArn) {
    assertThat(keyArn).startsWith("arn:aws:kms:eu-west-1:444455556666:key/mrk-");
  }

  @Test
  void everyInjection_isTheExtensionsOwnObject(
      LocalKms kms, @InRegion("eu-west-1") KmsClient eu, Provided provided) {
    assertThat(kms).isSameAs(KIT.kms());
    assertThat(kms.regions()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(eu)
        .isSameAs(KIT.client("eu-west-1"))
        .isSameAs(KIT.clientFactory().apply("eu-west-1"));
    assertThat(provided).isSameAs(KIT.get(Provided.class));
    assertThat(provided.kit()).isSameAs(KIT);
    assertThat(BUILT).hasValue(1);
  }

  @Test
  void unknownRegions_failWithTheRegionsServed() {
    assertThatThrownBy(() -> KIT.client("sa-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sa-east-1")
        .hasMessageContaining("us-east-1");
    assertThatThrownBy(() -> KIT.createMultiRegionKey("sa-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[us-east-1, eu-west-1, ap-southeast-1]");
  }

  @Test
  void arnIn_refusesWhatIsNotAKeyArn() {
    assertThatThrownBy(() -> KIT.arnIn("eu-west-1", "alias/orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a key ARN: alias/orders");
  }

  @Test
  void unprovidedTypes_failNamingTheFix() {
    assertThatThrownBy(() -> KIT.get(Runnable.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("provide(Runnable.class");
  }

  @Test
  void builder_refusesBadSettings() {
    assertThatThrownBy(() -> LocalKmsExtension.builder().regions())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalKmsExtension.builder().regions("us-east-1", "us-east-1").build())
        .hasMessageContaining("must not repeat");
    assertThatThrownBy(() -> LocalKmsExtension.builder().account("1234").build())
        .hasMessageContaining("12 digits");
    assertThatThrownBy(() -> LocalKmsExtension.builder().provide(KmsClient.class, k -> null))
        .hasMessageContaining("injects KmsClient itself");
  }
}
