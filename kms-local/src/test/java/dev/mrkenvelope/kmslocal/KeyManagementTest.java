package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static dev.mrkenvelope.kmslocal.SdkClients.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidAliasNameException;
import software.amazon.awssdk.services.kms.model.InvalidMarkerException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;
import software.amazon.awssdk.services.kms.model.TagException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

class KeyManagementTest {
  static final String REGION = "eu-central-1";
  static final String ACCOUNT = "444455556666";
  static LocalKms kms;
  static KmsClient client;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(REGION, "ap-south-1").account(ACCOUNT).start();
    client = SdkClients.noRetries(kms, REGION);
  }

  @AfterAll
  static void stop() {
    client.close();
    kms.close();
  }

  static String newKey() {
    return client.createKey(b -> {}).keyMetadata().keyId();
  }

  @Test
  void createKey_symmetricDefaults_matchRealKms() {
    Instant before = Instant.now().minusSeconds(1);
    KeyMetadata m =
        client
            .createKey(
                b -> b.description("d").tags(Tag.builder().tagKey("team").tagValue("x").build()))
            .keyMetadata();
    assertThat(m.keyId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(m.arn()).isEqualTo("arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + m.keyId());
    assertThat(m.awsAccountId()).isEqualTo(ACCOUNT);
    assertThat(m.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThat(m.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
    assertThat(m.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(m.enabled()).isTrue();
    assertThat(m.multiRegion()).isFalse();
    assertThat(m.multiRegionConfiguration()).isNull();
    assertThat(m.encryptionAlgorithmsAsStrings()).containsExactly("SYMMETRIC_DEFAULT");
    assertThat(m.originAsString()).isEqualTo("AWS_KMS");
    assertThat(m.keyManagerAsString()).isEqualTo("CUSTOMER");
    assertThat(m.description()).isEqualTo("d");
    // Epoch-second decimals parse into Instants with millisecond precision.
    assertThat(m.creationDate()).isBetween(before, Instant.now().plusSeconds(1));
    assertThat(client.listResourceTags(b -> b.keyId(m.keyId())).tags())
        .containsExactly(Tag.builder().tagKey("team").tagValue("x").build());
  }

  @Test
  void createKey_multiRegionAndEcc_andUnsupportedSpecs() {
    KeyMetadata mrk = client.createKey(b -> b.multiRegion(true)).keyMetadata();
    assertThat(mrk.keyId()).matches("mrk-[0-9a-f]{32}");
    assertThat(mrk.multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("PRIMARY");
    assertThat(mrk.multiRegionConfiguration().replicaKeys()).isEmpty();

    KeyMetadata ecc =
        client
            .createKey(b -> b.keySpec(KeySpec.ECC_NIST_P384).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata();
    assertThat(ecc.signingAlgorithmsAsStrings()).containsExactly("ECDSA_SHA_384");
    assertThat(ecc.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);

    assertThatThrownBy(
            () ->
                client.createKey(
                    b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("RSA_4096");
    assertThatThrownBy(() -> client.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () ->
                client.createKey(b -> b.tags(Tag.builder().tagKey("aws:x").tagValue("y").build())))
        .isInstanceOf(TagException.class);
  }

  @Test
  void describeKey_resolvesIdArnAliasAndAliasArn() {
    String id = newKey();
    client.createAlias(b -> b.aliasName("alias/describe-me").targetKeyId(id));
    for (String ref :
        List.of(
            id,
            kms.keyArn(REGION, id),
            "alias/describe-me",
            "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":alias/describe-me")) {
      assertThat(client.describeKey(b -> b.keyId(ref)).keyMetadata().keyId()).as(ref).isEqualTo(id);
    }
  }

  @Test
  void describeKey_unknownOrOtherRegion_isNotFound() {
    assertThatThrownBy(
            () -> client.describeKey(b -> b.keyId("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(NotFoundException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(400))
        .hasMessageContaining(
            "Key 'arn:aws:kms:"
                + REGION
                + ":"
                + ACCOUNT
                + ":key/00000000-0000-0000-0000-000000000000' does not exist");
    String id = newKey();
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId(kms.keyArn("ap-south-1", id))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Invalid arn ap-south-1");
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId("alias/none")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId("arn:aws:kms:broken")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidArnException"));
  }

  @Test
  void listKeys_pagesWithMarkers() {
    for (int i = 0; i < 3; i++) {
      newKey();
    }
    ListKeysResponse first = client.listKeys(b -> b.limit(2));
    assertThat(first.keys()).hasSize(2);
    assertThat(first.truncated()).isTrue();
    ListKeysResponse all = client.listKeys(b -> b.limit(1000));
    assertThat(all.truncated()).isFalse();
    assertThat(all.keys()).allSatisfy(k -> assertThat(k.keyArn()).endsWith(":key/" + k.keyId()));
    ListKeysResponse second = client.listKeys(b -> b.limit(2).marker(first.nextMarker()));
    assertThat(second.keys().get(0).keyId()).isEqualTo(all.keys().get(2).keyId());
    assertThatThrownBy(() -> client.listKeys(b -> b.marker("bogus")))
        .isInstanceOf(InvalidMarkerException.class);
  }

  @Test
  void disableKey_blocksCryptoUntilEnabled() {
    String id = newKey();
    SdkBytes blob =
        client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
    client.disableKey(b -> b.keyId(id));
    assertThat(client.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.DISABLED);
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(blob)))
        .isInstanceOf(DisabledException.class)
        .hasMessageContaining(kms.keyArn(REGION, id) + " is disabled.");
    assertThatThrownBy(() -> client.generateDataKey(b -> b.keyId(id).numberOfBytes(32)))
        .isInstanceOf(DisabledException.class);
    client.enableKey(b -> b.keyId(id));
    assertThat(client.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String())
        .isEqualTo("x");
  }

  @Test
  void scheduleAndCancelDeletion_followKmsStates() {
    String id = newKey();
    ScheduleKeyDeletionResponse s =
        client.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(7));
    assertThat(s.keyId()).isEqualTo(kms.keyArn(REGION, id));
    assertThat(s.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(s.pendingWindowInDays()).isEqualTo(7);
    assertThat(s.deletionDate())
        .isBetween(
            Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
            Instant.now().plus(Duration.ofDays(7)));
    assertThatThrownBy(
            () -> client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x"))))
        .isInstanceOf(KmsInvalidStateException.class)
        .hasMessageContaining("is pending deletion.");
    assertThatThrownBy(() -> client.enableKey(b -> b.keyId(id)))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> client.scheduleKeyDeletion(b -> b.keyId(id)))
        .isInstanceOf(KmsInvalidStateException.class);

    assertThat(client.cancelKeyDeletion(b -> b.keyId(id)).keyId())
        .isEqualTo(kms.keyArn(REGION, id));
    assertThat(client.describeKey(b -> b.keyId(id)).keyMetadata().keyState())
        .isEqualTo(KeyState.DISABLED);
    assertThatThrownBy(() -> client.cancelKeyDeletion(b -> b.keyId(id)))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> client.scheduleKeyDeletion(b -> b.keyId(id).pendingWindowInDays(3)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }

  @Test
  void aliases_createListUpdateDelete() {
    String a = newKey();
    String b2 = newKey();
    client.createAlias(b -> b.aliasName("alias/app").targetKeyId(a));
    assertThatThrownBy(() -> client.createAlias(b -> b.aliasName("alias/app").targetKeyId(b2)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(
            () -> client.createAlias(b -> b.aliasName("alias/aws/reserved").targetKeyId(a)))
        .isInstanceOf(InvalidAliasNameException.class);
    assertThatThrownBy(() -> client.createAlias(b -> b.aliasName("no-prefix").targetKeyId(a)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));

    // Encrypt through the alias; the response names the key, not the alias.
    assertThat(
            client
                .encrypt(b -> b.keyId("alias/app").plaintext(SdkBytes.fromUtf8String("x")))
                .keyId())
        .isEqualTo(kms.keyArn(REGION, a));

    List<AliasListEntry> forA = client.listAliases(b -> b.keyId(a)).aliases();
    assertThat(forA).extracting(AliasListEntry::aliasName).containsExactly("alias/app");
    assertThat(forA.get(0).aliasArn())
        .isEqualTo("arn:aws:kms:" + REGION + ":" + ACCOUNT + ":alias/app");
    assertThat(forA.get(0).targetKeyId()).isEqualTo(a);
    assertThat(forA.get(0).creationDate()).isNotNull();

    client.updateAlias(b -> b.aliasName("alias/app").targetKeyId(b2));
    assertThat(client.describeKey(b -> b.keyId("alias/app")).keyMetadata().keyId()).isEqualTo(b2);
    client.deleteAlias(b -> b.aliasName("alias/app"));
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId("alias/app")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.deleteAlias(b -> b.aliasName("alias/app")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aliases_arePerRegion() {
    String id = newKey();
    client.createAlias(b -> b.aliasName("alias/only-here").targetKeyId(id));
    try (KmsClient other = SdkClients.noRetries(kms, "ap-south-1")) {
      assertThat(other.listAliases().aliases())
          .extracting(AliasListEntry::aliasName)
          .doesNotContain("alias/only-here");
    }
  }

  @Test
  void keyPolicy_defaultGetAndPut() {
    String id = newKey();
    String policy = client.getKeyPolicy(b -> b.keyId(id)).policy();
    assertThat(policy).contains("arn:aws:iam::" + ACCOUNT + ":root").contains("kms:*");
    assertThat(client.getKeyPolicy(b -> b.keyId(id).policyName("default")).policyName())
        .isEqualTo("default");
    assertThatThrownBy(() -> client.getKeyPolicy(b -> b.keyId(id).policyName("other")))
        .isInstanceOf(NotFoundException.class);

    String next = policy.replace("key-default-1", "key-custom");
    client.putKeyPolicy(b -> b.keyId(id).policy(next));
    assertThat(client.getKeyPolicy(b -> b.keyId(id)).policy()).isEqualTo(next);
    assertThatThrownBy(() -> client.putKeyPolicy(b -> b.keyId(id).policy("{not json")))
        .isInstanceOf(MalformedPolicyDocumentException.class);
  }

  @Test
  void tags_tagUntagList() {
    String id = newKey();
    client.tagResource(
        b ->
            b.keyId(id)
                .tags(
                    Tag.builder().tagKey("a").tagValue("1").build(),
                    Tag.builder().tagKey("b").tagValue("2").build()));
    client.untagResource(b -> b.keyId(id).tagKeys("a"));
    assertThat(
            client.listResourceTags(b -> b.keyId(id)).tags().stream()
                .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue)))
        .isEqualTo(Map.of("b", "2"));
    client.updateKeyDescription(b -> b.keyId(id).description("new"));
    assertThat(client.describeKey(b -> b.keyId(id)).keyMetadata().description()).isEqualTo("new");
  }

  @Test
  void rotation_enableStatusAndOnDemand() {
    String id = newKey();
    var off = client.getKeyRotationStatus(b -> b.keyId(id));
    assertThat(off.keyRotationEnabled()).isFalse();
    assertThat(off.keyId()).isEqualTo(kms.keyArn(REGION, id));

    client.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(90));
    var on = client.getKeyRotationStatus(b -> b.keyId(id));
    assertThat(on.keyRotationEnabled()).isTrue();
    assertThat(on.rotationPeriodInDays()).isEqualTo(90);
    assertThat(on.nextRotationDate()).isAfter(Instant.now().plus(Duration.ofDays(89)));
    assertThatThrownBy(() -> client.enableKeyRotation(b -> b.keyId(id).rotationPeriodInDays(10)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    client.disableKeyRotation(b -> b.keyId(id));
    assertThat(client.getKeyRotationStatus(b -> b.keyId(id)).keyRotationEnabled()).isFalse();

    SdkBytes old =
        client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("v0"))).ciphertextBlob();
    String material0 = client.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId();
    assertThat(client.rotateKeyOnDemand(b -> b.keyId(id)).keyId())
        .isEqualTo(kms.keyArn(REGION, id));
    assertThat(client.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId())
        .isNotEqualTo(material0);
    assertThat(client.decrypt(b -> b.ciphertextBlob(old)).plaintext().asUtf8String())
        .isEqualTo("v0");
    assertThat(client.decrypt(b -> b.ciphertextBlob(old)).keyMaterialId()).isEqualTo(material0);
  }

  @Test
  void rotateKeyOnDemand_limitAndAsymmetric() {
    String id = newKey();
    for (int i = 0; i < 25; i++) {
      client.rotateKeyOnDemand(b -> b.keyId(id));
    }
    assertThatThrownBy(() -> client.rotateKeyOnDemand(b -> b.keyId(id)))
        .isInstanceOf(LimitExceededException.class);
    String ecc =
        client
            .createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    assertThatThrownBy(() -> client.enableKeyRotation(b -> b.keyId(ecc)))
        .isInstanceOf(UnsupportedOperationException.class);
    String disabled = newKey();
    client.disableKey(b -> b.keyId(disabled));
    assertThatThrownBy(() -> client.rotateKeyOnDemand(b -> b.keyId(disabled)))
        .isInstanceOf(DisabledException.class);
  }
}
