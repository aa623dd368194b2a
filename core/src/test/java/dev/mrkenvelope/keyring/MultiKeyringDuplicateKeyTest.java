package dev.mrkenvelope.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultiKeyringDuplicateKeyTest {

  /** A keyring that only reports an identity; the builder never calls it. */
  private static Keyring withIdentity(String identity) {
    return new Keyring() {
      @Override
      public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
        throw new AssertionError("not called");
      }

      @Override
      public DecryptionMaterials onDecrypt(
          DecryptionMaterials materials, List<EncryptedDataKey> edks) {
        throw new AssertionError("not called");
      }

      @Override
      public Optional<String> keyIdentity() {
        return Optional.ofNullable(identity);
      }
    };
  }

  @Test
  void generatorAndChildWithSameIdentity_refusedNamingBoth() {
    assertThatThrownBy(
            () ->
                MultiKeyring.builder()
                    .generator(withIdentity("aws:111122223333:mrk-1"))
                    .children(
                        withIdentity("aws:111122223333:mrk-2"),
                        withIdentity("aws:111122223333:mrk-1"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#0 and #2")
        .hasMessageContaining("aws:111122223333:mrk-1")
        .hasMessageContaining("regions(");
  }

  @Test
  void twoChildrenWithSameIdentity_refused() {
    assertThatThrownBy(
            () -> MultiKeyring.builder().children(withIdentity("k"), withIdentity("k")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("#0 and #1");
  }

  @Test
  void distinctOrAbsentIdentities_accepted() {
    MultiKeyring k =
        MultiKeyring.builder()
            .generator(withIdentity("a"))
            .children(withIdentity("b"), withIdentity(null), withIdentity(null))
            .build();
    assertThat(k).isNotNull();
  }
}
