package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Materials print the context's keys, never its values (often tenant IDs) nor the data key. */
class MaterialsToStringTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Map<String, String> EC =
      Map.of("tenant", "tenant-4711-secret", "region", "eu-west-9");

  @Test
  void encryptionMaterials_printKeysOnly() {
    EncryptionMaterials m =
        new CountingKeyring()
            .onEncrypt(EncryptionMaterials.create(SUITE, EC, Set.of("region"), null));
    String dataKey = HexFormat.of().formatHex(m.plaintextDataKey().orElseThrow());

    String s = m.toString();

    assertThat(s)
        .contains("encryptionContextKeys=[region, tenant]")
        .contains("requiredEncryptionContextKeys=[region]")
        .contains("edks=1")
        .contains("dataKey=present")
        .doesNotContain("tenant-4711-secret")
        .doesNotContain("eu-west-9")
        .doesNotContainIgnoringCase(dataKey);
  }

  @Test
  void decryptionMaterials_printKeysOnly_alsoAsTheManagerReturnsThem() {
    AtomicReference<DecryptionMaterials> seen = new AtomicReference<>();
    CountingKeyring keyring = new CountingKeyring();
    MaterialsManager recording =
        new MaterialsManager() {
          final DefaultMaterialsManager d = DefaultMaterialsManager.create(keyring);

          @Override
          public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest r) {
            return d.getEncryptionMaterials(r);
          }

          @Override
          public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest r) {
            DecryptionMaterials m = d.decryptMaterials(r);
            seen.set(m);
            return m;
          }
        };
    EnvelopeClient c =
        EnvelopeClient.builder().materialsManager(recording).algorithmSuite(SUITE).build();
    byte[] ct = c.encrypt(new byte[] {1}, EC).ciphertext();

    c.decrypt(ct, Map.of("tenant", "tenant-4711-secret"));
    DecryptionMaterials m = seen.get();
    String dataKey = HexFormat.of().formatHex(m.plaintextDataKey().orElseThrow());

    assertThat(m.toString())
        .contains("encryptionContextKeys=[region, tenant]")
        .contains("requiredEncryptionContextKeys=[]")
        .contains("dataKey=present")
        .doesNotContain("tenant-4711-secret")
        .doesNotContain("eu-west-9")
        .doesNotContainIgnoringCase(dataKey);
    assertThat(DecryptionMaterials.create(SUITE, EC, Set.of("tenant"), null).toString())
        .contains("requiredEncryptionContextKeys=[tenant]")
        .contains("dataKey=absent")
        .doesNotContain("tenant-4711-secret");
  }
}
