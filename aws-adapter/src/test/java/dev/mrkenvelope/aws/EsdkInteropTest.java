package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkDiscoveryKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkKeyringInput;
import software.amazon.cryptography.materialproviders.model.DiscoveryFilter;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/** Messages cross between ESDK-Java 3.0.2's MRK keyrings and ours, all on kms-local. */
class EsdkInteropTest {
  static final String EAST = "us-east-1";
  static final String WEST = "eu-west-1";
  static final byte[] PLAINTEXT = "interop with ESDK-Java 3.0.2".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> EC = Map.of("app", "interop", "tenant", "t-42");

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(EAST, WEST).replicaCreation(Duration.ZERO).build();

  static String keyId;
  static MaterialProviders mpl;
  static AwsCrypto esdk;

  @BeforeAll
  static void start() {
    keyId = kms.kms().createMultiRegionKey(EAST, WEST);
    mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
  }

  @Test
  void esdkMrkEncryptInEast_decryptsWithOurDiscoveryRoutedToWest_whileEastIsDown() {
    KmsClient east = kms.client(EAST);
    IKeyring esdkKeyring =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(kms.kms().keyArn(EAST, keyId))
                .kmsClient(east)
                .build());
    byte[] ciphertext = esdk.encryptData(esdkKeyring, PLAINTEXT, EC).getResult();

    KmsRouter router = Routers.router(kms, EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkDiscoveryKeyring.builder()
                    .router(router)
                    .discoveryFilter("aws", Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
                    .build())
            .build();
    try {
      kms.kms().faults(EAST).outage();
      kms.kms().resetRequestCounts();
      assertThat(ours.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
      assertThat(ours.decrypt(ciphertext).encryptionContext()).containsAllEntriesOf(EC);
      assertThat(kms.kms().requestCount(WEST, "Decrypt")).isEqualTo(2);
    } finally {
      kms.healAll();
    }
  }

  @Test
  void ourMrkEncrypt_decryptsWithEsdkMrkDiscoveryKeyringInAnotherRegion() {
    KmsRouter router = Routers.router(kms, EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(EAST, keyId))
                    .router(router)
                    .build())
            .build();
    EncryptResult e = ours.encrypt(PLAINTEXT, EC);
    assertThat(e.encryptedDataKeys())
        .singleElement()
        .satisfies(
            edk -> {
              assertThat(edk.providerId()).isEqualTo("aws-kms");
              assertThat(edk.providerInfoUtf8()).isEqualTo(kms.kms().keyArn(EAST, keyId));
            });

    IKeyring esdkDiscovery =
        mpl.CreateAwsKmsMrkDiscoveryKeyring(
            CreateAwsKmsMrkDiscoveryKeyringInput.builder()
                .kmsClient(kms.client(WEST))
                .region(WEST)
                .discoveryFilter(
                    DiscoveryFilter.builder()
                        .partition("aws")
                        .accountIds(List.of(LocalKmsExtension.DEFAULT_ACCOUNT))
                        .build())
                .build());
    kms.kms().resetRequestCounts();
    assertThat(esdk.decryptData(esdkDiscovery, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
    assertThat(kms.kms().requestCount(WEST, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(EAST, "Decrypt")).isZero();

    // ESDK's strict MRK keyring configured with the west replica decrypts it too.
    IKeyring esdkStrictWest =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(kms.kms().keyArn(WEST, keyId))
                .kmsClient(kms.client(WEST))
                .build());
    assertThat(esdk.decryptData(esdkStrictWest, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
  }

  @Test
  void encryptFailedOverToWest_writesWestArn_andEsdkDecryptsInEast() {
    KmsRouter router = Routers.router(kms, EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(EAST, keyId))
                    .router(router)
                    .build())
            .build();
    EncryptResult e;
    try {
      kms.kms().faults(EAST).throttle(1.0);
      e = ours.encrypt(PLAINTEXT, EC);
    } finally {
      kms.healAll();
    }
    assertThat(e.encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(WEST, keyId));
    IKeyring esdkStrictEast =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(kms.kms().keyArn(EAST, keyId))
                .kmsClient(kms.client(EAST))
                .build());
    assertThat(esdk.decryptData(esdkStrictEast, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
  }

  @Test
  void esdkStrictKeyringMessage_decryptsWithOurStrictKeyringConfiguredForOtherReplica() {
    IKeyring esdkKeyring =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(kms.kms().keyArn(WEST, keyId))
                .kmsClient(kms.client(WEST))
                .build());
    byte[] ciphertext = esdk.encryptData(esdkKeyring, PLAINTEXT, EC).getResult();
    KmsRouter router = Routers.router(kms, EAST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(EAST, keyId))
                    .router(router)
                    .build())
            .build();
    assertThat(ours.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void defaultEncryptRegion_esdkNonMrkAwareKeyringWithTheKeyArn_decrypts() {
    // The router prefers WEST, but the key ARN names EAST: by default GenerateDataKey goes to EAST
    // and the EDK names exactly the configured ARN, which a non-MRK-aware reader needs.
    KmsRouter router = Routers.router(kms, WEST, EAST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(EAST, keyId))
                    .router(router)
                    .build())
            .build();
    byte[] ciphertext = ours.encrypt(PLAINTEXT, EC).ciphertext();
    IKeyring esdkPlainKms =
        mpl.CreateAwsKmsKeyring(
            CreateAwsKmsKeyringInput.builder()
                .kmsKeyId(kms.kms().keyArn(EAST, keyId))
                .kmsClient(kms.client(EAST))
                .build());
    assertThat(esdk.decryptData(esdkPlainKms, ciphertext).getResult()).isEqualTo(PLAINTEXT);

    // Control: in router order the EDK names the WEST replica, which that reader cannot match.
    EnvelopeClient routerOrder =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(EAST, keyId))
                    .router(router)
                    .encryptIn(EncryptRegion.ROUTER_ORDER)
                    .build())
            .build();
    byte[] nearest = routerOrder.encrypt(PLAINTEXT, EC).ciphertext();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> esdk.decryptData(esdkPlainKms, nearest))
        .isInstanceOf(RuntimeException.class);
  }
}
