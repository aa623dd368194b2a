package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListKeyRotationsResponse;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.RotationType;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/** ListKeyPolicies, ListKeyRotations, GenerateRandom and the replica's Creating moment. */
class AdminOperationsTest {
  static final String EAST = "us-east-2";
  static final String WEST = "eu-west-3";
  static final String SOUTH = "ap-south-2";

  /** Long enough that the first calls after ReplicateKey surely see Creating on a slow machine. */
  static final Duration CREATION = Duration.ofSeconds(2);

  static LocalKms kms;
  static KmsClient east;
  static KmsClient west;
  static KmsClient south;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(EAST, WEST, SOUTH).replicaCreation(CREATION).start();
    east = SdkClients.noRetries(kms, EAST);
    west = SdkClients.noRetries(kms, WEST);
    south = SdkClients.noRetries(kms, SOUTH);
  }

  @AfterAll
  static void stop() {
    east.close();
    west.close();
    south.close();
    kms.close();
  }

  @Test
  void listKeyPolicies_namesTheDefaultPolicy() {
    String id = east.createKey(b -> {}).keyMetadata().keyId();
    var r = east.listKeyPolicies(b -> b.keyId(id));
    assertThat(r.policyNames()).containsExactly("default");
    assertThat(r.truncated()).isFalse();
    assertThatThrownBy(() -> west.listKeyPolicies(b -> b.keyId(id)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("NotFoundException"));
  }

  @Test
  void listKeyRotations_listsOnDemandRotations_inEveryReplica_andPages() {
    String id = kms.createMultiRegionKey(EAST, WEST);
    assertThat(east.listKeyRotations(b -> b.keyId(id)).rotations()).isEmpty();
    List<String> materials = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      east.rotateKeyOnDemand(b -> b.keyId(id));
      materials.add(east.describeKey(b -> b.keyId(id)).keyMetadata().currentKeyMaterialId());
    }
    ListKeyRotationsResponse all = west.listKeyRotations(b -> b.keyId(id));
    assertThat(all.rotations())
        .extracting(r -> r.rotationType())
        .containsOnly(RotationType.ON_DEMAND);
    assertThat(all.rotations())
        .extracting(r -> r.keyMaterialId())
        .containsExactlyElementsOf(materials);
    assertThat(all.rotations()).allSatisfy(r -> assertThat(r.rotationDate()).isNotNull());

    ListKeyRotationsResponse first = east.listKeyRotations(b -> b.keyId(id).limit(2));
    assertThat(first.truncated()).isTrue();
    ListKeyRotationsResponse rest =
        east.listKeyRotations(b -> b.keyId(id).limit(2).marker(first.nextMarker()));
    assertThat(rest.truncated()).isFalse();
    assertThat(rest.rotations())
        .extracting(r -> r.keyMaterialId())
        .containsExactly(materials.get(2));

    String ecc =
        east.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    assertThatThrownBy(() -> east.listKeyRotations(b -> b.keyId(ecc)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void generateRandom_returnsTheRequestedNumberOfFreshBytes() {
    byte[] a = east.generateRandom(b -> b.numberOfBytes(32)).plaintext().asByteArray();
    byte[] b2 = east.generateRandom(b -> b.numberOfBytes(32)).plaintext().asByteArray();
    assertThat(a).hasSize(32).isNotEqualTo(b2);
    assertThat(west.generateRandom(b -> b.numberOfBytes(1024)).plaintext().asByteArray())
        .hasSize(1024);
    assertThatThrownBy(() -> east.generateRandom(b -> b.numberOfBytes(1025)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> east.generateRandom(b -> {}))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }

  @Test
  void newReplica_isCreatingForAMoment_thenEnabled_andCryptoWaitsForIt() {
    String id = east.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    SdkBytes blob =
        east.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("wait"))).ciphertextBlob();
    var replicated = east.replicateKey(b -> b.keyId(id).replicaRegion(WEST));
    assertThat(replicated.replicaKeyMetadata().keyState()).isEqualTo(KeyState.CREATING);

    KeyMetadata creating = west.describeKey(b -> b.keyId(id)).keyMetadata();
    assertThat(creating.keyState()).isEqualTo(KeyState.CREATING);
    assertThat(creating.enabled()).isFalse();
    assertThatThrownBy(() -> west.decrypt(b -> b.ciphertextBlob(blob)))
        .isInstanceOf(KmsInvalidStateException.class)
        .hasMessageContaining("Creating");
    assertThatThrownBy(() -> west.disableKey(b -> b.keyId(id)))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(
            () ->
                west.putKeyPolicy(
                    b -> b.keyId(id).policy(east.getKeyPolicy(p -> p.keyId(id)).policy())))
        .isInstanceOf(KmsInvalidStateException.class);

    SdkClients.awaitEnabled(west, id, Duration.ofSeconds(30));
    assertThat(west.describeKey(b -> b.keyId(id)).keyMetadata().enabled()).isTrue();
    assertThat(west.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String())
        .isEqualTo("wait");
  }

  @Test
  void describeKey_multiRegionConfiguration_isTheSameFromEveryRegion() {
    String id = east.createKey(b -> b.multiRegion(true)).keyMetadata().keyId();
    east.replicateKey(b -> b.keyId(id).replicaRegion(WEST));
    east.replicateKey(b -> b.keyId(id).replicaRegion(SOUTH));
    // Consistent while a replica is still Creating, and after the roles change.
    assertSameConfiguration(id, EAST, Set.of(WEST, SOUTH));
    SdkClients.awaitEnabled(west, id, Duration.ofSeconds(30));
    SdkClients.awaitEnabled(south, id, Duration.ofSeconds(30));
    east.updatePrimaryRegion(b -> b.keyId(id).primaryRegion(SOUTH));
    assertSameConfiguration(id, SOUTH, Set.of(EAST, WEST));
  }

  private static void assertSameConfiguration(String id, String primary, Set<String> replicas) {
    for (KmsClient c : List.of(east, west, south)) {
      var mrc = c.describeKey(b -> b.keyId(id)).keyMetadata().multiRegionConfiguration();
      assertThat(mrc.primaryKey())
          .isEqualTo(MultiRegionKey.builder().region(primary).arn(kms.keyArn(primary, id)).build());
      assertThat(mrc.replicaKeys().stream().map(MultiRegionKey::region).collect(Collectors.toSet()))
          .isEqualTo(replicas);
      assertThat(mrc.replicaKeys())
          .allSatisfy(k -> assertThat(k.arn()).isEqualTo(kms.keyArn(k.region(), id)));
    }
  }

  @Test
  void replicaCreation_negative_isRejectedWithTheFix() {
    assertThatThrownBy(() -> LocalKms.builder().replicaCreation(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero or positive");
  }
}
