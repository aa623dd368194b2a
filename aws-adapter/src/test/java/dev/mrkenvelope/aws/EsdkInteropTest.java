package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  static LocalKmsFixture fx;
  static String keyId;
  static MaterialProviders mpl;
  static AwsCrypto esdk;

  @BeforeAll
  static void start() {
    fx = new LocalKmsFixture(EAST, WEST);
    keyId = fx.mrk(EAST, WEST);
    mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    esdk =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void esdkMrkEncryptInEast_decryptsWithOurDiscoveryRoutedToWest_whileEastIsDown() {
    KmsClient east = fx.admin(EAST);
    IKeyring esdkKeyring =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(fx.arn(EAST, keyId))
                .kmsClient(east)
                .build());
    byte[] ciphertext = esdk.encryptData(esdkKeyring, PLAINTEXT, EC).getResult();

    KmsRouter router = fx.router(EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkDiscoveryKeyring.builder()
                    .router(router)
                    .discoveryFilter("aws", Set.of(LocalKmsFixture.ACCOUNT))
                    .build())
            .build();
    try {
      fx.kms.faults(EAST).outage();
      fx.kms.resetRequestCounts();
      assertThat(ours.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
      assertThat(ours.decrypt(ciphertext).encryptionContext()).containsAllEntriesOf(EC);
      assertThat(fx.kms.requestCount(WEST, "Decrypt")).isEqualTo(2);
    } finally {
      fx.healAll();
    }
  }

  @Test
  void ourMrkEncrypt_decryptsWithEsdkMrkDiscoveryKeyringInAnotherRegion() {
    KmsRouter router = fx.router(EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(EAST, keyId)).router(router).build())
            .build();
    EncryptResult e = ours.encrypt(PLAINTEXT, EC);
    assertThat(e.encryptedDataKeys())
        .singleElement()
        .satisfies(
            edk -> {
              assertThat(edk.providerId()).isEqualTo("aws-kms");
              assertThat(edk.providerInfoUtf8()).isEqualTo(fx.arn(EAST, keyId));
            });

    IKeyring esdkDiscovery =
        mpl.CreateAwsKmsMrkDiscoveryKeyring(
            CreateAwsKmsMrkDiscoveryKeyringInput.builder()
                .kmsClient(fx.admin(WEST))
                .region(WEST)
                .discoveryFilter(
                    DiscoveryFilter.builder()
                        .partition("aws")
                        .accountIds(List.of(LocalKmsFixture.ACCOUNT))
                        .build())
                .build());
    fx.kms.resetRequestCounts();
    assertThat(esdk.decryptData(esdkDiscovery, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
    assertThat(fx.kms.requestCount(WEST, "Decrypt")).isEqualTo(1);
    assertThat(fx.kms.requestCount(EAST, "Decrypt")).isZero();

    // ESDK's strict MRK keyring configured with the west replica decrypts it too.
    IKeyring esdkStrictWest =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(fx.arn(WEST, keyId))
                .kmsClient(fx.admin(WEST))
                .build());
    assertThat(esdk.decryptData(esdkStrictWest, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
  }

  @Test
  void encryptFailedOverToWest_writesWestArn_andEsdkDecryptsInEast() {
    KmsRouter router = fx.router(EAST, WEST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(EAST, keyId)).router(router).build())
            .build();
    EncryptResult e;
    try {
      fx.kms.faults(EAST).throttle(1.0);
      e = ours.encrypt(PLAINTEXT, EC);
    } finally {
      fx.healAll();
    }
    assertThat(e.encryptedDataKeys().get(0).providerInfoUtf8()).isEqualTo(fx.arn(WEST, keyId));
    IKeyring esdkStrictEast =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(fx.arn(EAST, keyId))
                .kmsClient(fx.admin(EAST))
                .build());
    assertThat(esdk.decryptData(esdkStrictEast, e.ciphertext()).getResult()).isEqualTo(PLAINTEXT);
  }

  @Test
  void esdkStrictKeyringMessage_decryptsWithOurStrictKeyringConfiguredForOtherReplica() {
    IKeyring esdkKeyring =
        mpl.CreateAwsKmsMrkKeyring(
            CreateAwsKmsMrkKeyringInput.builder()
                .kmsKeyId(fx.arn(WEST, keyId))
                .kmsClient(fx.admin(WEST))
                .build());
    byte[] ciphertext = esdk.encryptData(esdkKeyring, PLAINTEXT, EC).getResult();
    KmsRouter router = fx.router(EAST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(EAST, keyId)).router(router).build())
            .build();
    assertThat(ours.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void defaultEncryptRegion_esdkNonMrkAwareKeyringWithTheKeyArn_decrypts() {
    // The router prefers WEST, but the key ARN names EAST: by default GenerateDataKey goes to EAST
    // and the EDK names exactly the configured ARN, which a non-MRK-aware reader needs.
    KmsRouter router = fx.router(WEST, EAST);
    EnvelopeClient ours =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(EAST, keyId)).router(router).build())
            .build();
    byte[] ciphertext = ours.encrypt(PLAINTEXT, EC).ciphertext();
    IKeyring esdkPlainKms =
        mpl.CreateAwsKmsKeyring(
            CreateAwsKmsKeyringInput.builder()
                .kmsKeyId(fx.arn(EAST, keyId))
                .kmsClient(fx.admin(EAST))
                .build());
    assertThat(esdk.decryptData(esdkPlainKms, ciphertext).getResult()).isEqualTo(PLAINTEXT);

    // Control: in router order the EDK names the WEST replica, which that reader cannot match.
    EnvelopeClient routerOrder =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(fx.arn(EAST, keyId))
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
