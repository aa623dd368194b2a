package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ReplicateKeyResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

class MultiRegionKeyTest {
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
  static LocalKms kms;
  static final Map<String, KmsClient> clients = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(REGIONS).start();
    REGIONS.forEach(r -> clients.put(r, SdkClients.noRetries(kms, r)));
  }

  @AfterAll
  static void stop() {
    clients.values().forEach(KmsClient::close);
    kms.close();
  }

  static KmsClient in(String region) {
    return clients.get(region);
  }

  /**
   * An MRK created in us-east-1 and replicated through the SDK to the two other Regions, waiting
   * (as real code must) until both replicas have left {@code Creating}.
   */
  static String replicatedKey() {
    String id =
        in("us-east-1")
            .createKey(b -> b.multiRegion(true).description("primary"))
            .keyMetadata()
            .keyId();
    in("us-east-1").replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"));
    in("us-east-1").replicateKey(b -> b.keyId(id).replicaRegion("ap-southeast-2"));
    SdkClients.awaitEnabled(in("eu-west-1"), id, Duration.ofSeconds(10));
    SdkClients.awaitEnabled(in("ap-southeast-2"), id, Duration.ofSeconds(10));
    return id;
  }

  @Test
  void replicateKey_sameIdIndependentProperties() {
    String id =
        in("us-east-1")
            .createKey(b -> b.multiRegion(true).description("primary"))
            .keyMetadata()
            .keyId();
    ReplicateKeyResponse r =
        in("us-east-1")
            .replicateKey(
                b ->
                    b.keyId(id)
                        .replicaRegion("eu-west-1")
                        .description("replica")
                        .tags(Tag.builder().tagKey("site").tagValue("dr").build()));
    KeyMetadata md = r.replicaKeyMetadata();
    assertThat(md.keyId()).isEqualTo(id);
    assertThat(md.arn()).isEqualTo(kms.keyArn("eu-west-1", id));
    assertThat(md.keyState()).isEqualTo(KeyState.CREATING); // as AWS reports it
    assertThat(md.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.REPLICA);
    assertThat(r.replicaPolicy()).contains("kms:*");
    assertThat(r.replicaTags()).extracting(Tag::tagKey).containsExactly("site");

    SdkClients.awaitEnabled(in("eu-west-1"), id, Duration.ofSeconds(10));
    KeyMetadata replica = in("eu-west-1").describeKey(b -> b.keyId(id)).keyMetadata();
    assertThat(replica.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(replica.description()).isEqualTo("replica");
    assertThat(replica.multiRegionConfiguration().primaryKey())
        .isEqualTo(
            MultiRegionKey.builder().arn(kms.keyArn("us-east-1", id)).region("us-east-1").build());
    assertThat(replica.multiRegionConfiguration().replicaKeys())
        .extracting(MultiRegionKey::region)
        .containsExactly("eu-west-1");
    assertThat(in("us-east-1").describeKey(b -> b.keyId(id)).keyMetadata().description())
        .isEqualTo("primary");
    assertThat(in("us-east-1").listResourceTags(b -> b.keyId(id)).tags()).isEmpty();
    assertThat(in("eu-west-1").listResourceTags(b -> b.keyId(id)).tags()).hasSize(1);

    assertThatThrownBy(
            () -> in("us-east-1").replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1")))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(
            () -> in("eu-west-1").replicateKey(b -> b.keyId(id).replicaRegion("ap-southeast-2")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("is not a multi-region primary key");
    assertThatThrownBy(() -> in("ap-southeast-2").describeKey(b -> b.keyId(id)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void replicateKey_nonMrkOrUnservedRegion_isUnsupported() {
    String single = in("us-east-1").createKey(b -> {}).keyMetadata().keyId();
    assertThatThrownBy(
            () -> in("us-east-1").replicateKey(b -> b.keyId(single).replicaRegion("eu-west-1")))
        .isInstanceOf(UnsupportedOperationException.class);
    String mrk = in("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    assertThatThrownBy(
            () -> in("us-east-1").replicateKey(b -> b.keyId(mrk).replicaRegion("sa-east-1")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("sa-east-1");
  }

  @Test
  void replicateKey_honoursReplicaRegionCondition() {
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:ReplicateKey\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringNotEquals\":{\"kms:ReplicaRegion\":[\"eu-west-1\"]}}}]}";
    String id =
        in("us-east-1").createKey(b -> b.multiRegion(true).policy(policy)).keyMetadata().keyId();
    assertThatThrownBy(
            () -> in("us-east-1").replicateKey(b -> b.keyId(id).replicaRegion("ap-southeast-2")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThat(
            in("us-east-1")
                .replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"))
                .replicaKeyMetadata()
                .keyId())
        .isEqualTo(id);

    // The Allow-only form: ReplicateKey allowed only with the condition, everything else by
    // kms:*-minus.
    String allowOnly =
        "{\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"NotAction\":\"kms:ReplicateKey\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/Admin\"},\"Action\":\"kms:ReplicateKey\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"kms:ReplicaRegion\":\"ap-southeast-2\"}}}]}";
    String id2 =
        in("us-east-1").createKey(b -> b.multiRegion(true).policy(allowOnly)).keyMetadata().keyId();
    assertThatThrownBy(
            () -> in("us-east-1").replicateKey(b -> b.keyId(id2).replicaRegion("eu-west-1")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    in("us-east-1").replicateKey(b -> b.keyId(id2).replicaRegion("ap-southeast-2"));
  }

  @Test
  void mrkDataKey_generatedInOneRegion_decryptsInEveryReplica() {
    String id = replicatedKey();
    Map<String, String> ec = Map.of("order", "42");
    for (String from : REGIONS) {
      GenerateDataKeyResponse g =
          in(from)
              .generateDataKey(
                  b -> b.keyId(kms.keyArn(from, id)).numberOfBytes(32).encryptionContext(ec));
      assertThat(g.keyId()).isEqualTo(kms.keyArn(from, id));
      for (String to : REGIONS) {
        var d =
            in(to)
                .decrypt(
                    b ->
                        b.ciphertextBlob(g.ciphertextBlob())
                            .encryptionContext(ec)
                            .keyId(kms.keyArn(to, id)));
        assertThat(d.plaintext()).as(from + " -> " + to).isEqualTo(g.plaintext());
        assertThat(d.keyId()).isEqualTo(kms.keyArn(to, id));
      }
    }
  }

  @Test
  void regionWithoutReplica_deniesKeylessDecrypt_andCannotResolveTheKeyId() {
    String id = in("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    in("us-east-1").replicateKey(b -> b.keyId(id).replicaRegion("eu-west-1"));
    SdkBytes blob =
        in("us-east-1")
            .encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x")))
            .ciphertextBlob();
    assertThatThrownBy(() -> in("ap-southeast-2").decrypt(b -> b.ciphertextBlob(blob)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThatThrownBy(
            () ->
                in("ap-southeast-2")
                    .decrypt(b -> b.ciphertextBlob(blob).keyId(kms.keyArn("ap-southeast-2", id))))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void disabledReplica_fails_whileOthersWork() {
    String id = replicatedKey();
    SdkBytes blob =
        in("us-east-1")
            .encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("dr")))
            .ciphertextBlob();
    in("eu-west-1").disableKey(b -> b.keyId(id));
    assertThatThrownBy(() -> in("eu-west-1").decrypt(b -> b.ciphertextBlob(blob)))
        .isInstanceOf(DisabledException.class)
        .hasMessageContaining(kms.keyArn("eu-west-1", id));
    assertThat(in("us-east-1").decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String())
        .isEqualTo("dr");
    assertThat(in("ap-southeast-2").decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String())
        .isEqualTo("dr");
    assertThat(in("us-east-1").describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void rotation_onPrimary_oldAndNewCiphertextsDecryptEverywhere() {
    String id = replicatedKey();
    SdkBytes before =
        in("eu-west-1")
            .encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("v0")))
            .ciphertextBlob();
    assertThatThrownBy(() -> in("eu-west-1").rotateKeyOnDemand(b -> b.keyId(id)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("us-east-1");
    in("us-east-1").rotateKeyOnDemand(b -> b.keyId(id));
    in("us-east-1").enableKeyRotation(b -> b.keyId(id));
    SdkBytes after =
        in("ap-southeast-2")
            .encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("v1")))
            .ciphertextBlob();
    for (String r : REGIONS) {
      assertThat(in(r).decrypt(b -> b.ciphertextBlob(before)).plaintext().asUtf8String())
          .as(r)
          .isEqualTo("v0");
      assertThat(in(r).decrypt(b -> b.ciphertextBlob(after)).plaintext().asUtf8String())
          .as(r)
          .isEqualTo("v1");
      assertThat(in(r).getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).as(r).isTrue();
    }
    String current =
        in("us-east-1").describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId();
    assertThat(in("eu-west-1").describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId())
        .isEqualTo(current);
  }

  @Test
  void updatePrimaryRegion_swapsRoles() {
    String id = replicatedKey();
    in("us-east-1").updatePrimaryRegion(b -> b.keyId(id).primaryRegion("eu-west-1"));
    KeyMetadata oldPrimary = in("us-east-1").describeKey(b -> b.keyId(id)).keyMetadata();
    KeyMetadata newPrimary = in("eu-west-1").describeKey(b -> b.keyId(id)).keyMetadata();
    assertThat(oldPrimary.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.REPLICA);
    assertThat(newPrimary.multiRegionConfiguration().multiRegionKeyType())
        .isEqualTo(MultiRegionKeyType.PRIMARY);
    assertThat(newPrimary.multiRegionConfiguration().replicaKeys())
        .extracting(MultiRegionKey::region)
        .containsExactlyInAnyOrder("us-east-1", "ap-southeast-2");
    assertThatThrownBy(
            () ->
                in("us-east-1")
                    .updatePrimaryRegion(b -> b.keyId(id).primaryRegion("ap-southeast-2")))
        .isInstanceOf(UnsupportedOperationException.class);
    in("eu-west-1").rotateKeyOnDemand(b -> b.keyId(id)); // rotation now belongs to the new primary
    String fresh = in("us-east-1").createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    assertThatThrownBy(
            () ->
                in("us-east-1").updatePrimaryRegion(b -> b.keyId(fresh).primaryRegion("eu-west-1")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void scheduleDeletion_ofPrimaryWithReplicas_isPendingReplicaDeletion() {
    String id = replicatedKey();
    var r = in("us-east-1").scheduleKeyDeletion(b -> b.keyId(id));
    assertThat(r.keyState()).isEqualTo(KeyState.PENDING_REPLICA_DELETION);
    assertThat(r.pendingWindowInDays()).isEqualTo(30);
    assertThat(in("eu-west-1").describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.ENABLED);
  }

  @Test
  void localKmsConvenience_createsReplicatedKeyWithoutSdk() {
    String id = kms.createMultiRegionKey("eu-west-1", "us-east-1");
    assertThat(id).startsWith("mrk-");
    SdkBytes blob =
        in("eu-west-1")
            .encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("c")))
            .ciphertextBlob();
    assertThat(in("us-east-1").decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String())
        .isEqualTo("c");
    String single = kms.createKey("ap-southeast-2");
    assertThat(in("ap-southeast-2").describeKey(b -> b.keyId(single)).keyMetadata().multiRegion())
        .isFalse();
  }
}
