package dev.mrkenvelope.kmslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.materialproviders.IClientSupplier;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkDiscoveryMultiKeyringInput;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkKeyringInput;
import software.amazon.cryptography.materialproviders.model.DiscoveryFilter;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * The AWS Encryption SDK for Java 3.0.2 (with the Material Providers Library keyrings) as a real
 * KMS client: it encrypts under an MRK in one Region and decrypts in another, through kms-local.
 */
class EsdkInteropTest {
  static final String EAST = "us-east-1";
  static final String WEST = "eu-west-1";
  static LocalKms kms;
  static final Map<String, KmsClient> clients = new LinkedHashMap<>();
  static MaterialProviders mpl;
  static AwsCrypto crypto;
  static String keyId;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(EAST, WEST).start();
    clients.put(EAST, SdkClients.noRetries(kms, EAST));
    clients.put(WEST, SdkClients.noRetries(kms, WEST));
    keyId = kms.createMultiRegionKey(EAST, WEST);
    mpl =
        MaterialProviders.builder()
            .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
            .build();
    crypto =
        AwsCrypto.builder()
            .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
            .build();
  }

  @AfterAll
  static void stop() {
    clients.values().forEach(KmsClient::close);
    kms.close();
  }

  static IKeyring mrkKeyring(String region) {
    return mpl.CreateAwsKmsMrkKeyring(
        CreateAwsKmsMrkKeyringInput.builder()
            .kmsKeyId(kms.keyArn(region, keyId))
            .kmsClient(clients.get(region))
            .build());
  }

  /** The multi keyring asks for a client per Region; hand it ours, pointed at kms-local. */
  static IKeyring discoveryKeyring(String region, String account) {
    IClientSupplier supplier = input -> clients.get(input.region());
    return mpl.CreateAwsKmsMrkDiscoveryMultiKeyring(
        CreateAwsKmsMrkDiscoveryMultiKeyringInput.builder()
            .regions(List.of(region))
            .discoveryFilter(
                DiscoveryFilter.builder().partition("aws").accountIds(List.of(account)).build())
            .clientSupplier(supplier)
            .build());
  }

  @Test
  void mrkKeyring_encryptsInOneRegion_decryptsInTheOther() {
    byte[] plaintext = "dr rehearsal".getBytes(StandardCharsets.UTF_8);
    Map<String, String> ec = Map.of("tenant", "acme");
    kms.resetRequestCounts();
    byte[] message = crypto.encryptData(mrkKeyring(EAST), plaintext, ec).getResult();
    assertThat(kms.requestCount(EAST, "GenerateDataKey")).isEqualTo(1);

    kms.resetRequestCounts();
    var decrypted = crypto.decryptData(mrkKeyring(WEST), message);
    assertThat(decrypted.getResult()).isEqualTo(plaintext);
    assertThat(decrypted.getEncryptionContext()).containsAllEntriesOf(ec);
    assertThat(kms.requestCount(WEST, "Decrypt")).isEqualTo(1);
    assertThat(kms.requestCount(EAST)).isZero();
  }

  @Test
  void mrkDiscoveryMultiKeyring_decryptsWithTheLocalReplica() {
    byte[] plaintext = "discovered".getBytes(StandardCharsets.UTF_8);
    byte[] message = crypto.encryptData(mrkKeyring(WEST), plaintext, Map.of()).getResult();
    kms.resetRequestCounts();
    assertThat(crypto.decryptData(discoveryKeyring(EAST, kms.account()), message).getResult())
        .isEqualTo(plaintext);
    assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(1);
    assertThat(kms.requestCount(WEST)).isZero();
  }

  @Test
  void disabledReplica_makesEsdkDecryptFail_inThatRegionOnly() {
    byte[] message =
        crypto.encryptData(mrkKeyring(EAST), new byte[] {1, 2, 3}, Map.of()).getResult();
    clients.get(WEST).disableKey(b -> b.keyId(keyId));
    try {
      assertThatThrownBy(() -> crypto.decryptData(mrkKeyring(WEST), message))
          .isInstanceOf(RuntimeException.class);
      assertThat(crypto.decryptData(mrkKeyring(EAST), message).getResult())
          .containsExactly(1, 2, 3);
    } finally {
      clients.get(WEST).enableKey(b -> b.keyId(keyId));
    }
  }

  @Test
  void discoveryFilter_ofAnotherAccount_findsNoKey() {
    byte[] message = crypto.encryptData(mrkKeyring(EAST), new byte[] {9}, Map.of()).getResult();
    assertThatThrownBy(() -> crypto.decryptData(discoveryKeyring(WEST, "000000000000"), message))
        .isInstanceOf(RuntimeException.class);
  }
}
