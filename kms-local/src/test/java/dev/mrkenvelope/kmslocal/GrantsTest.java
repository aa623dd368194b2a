package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.InvalidGrantTokenException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** Grants per replica, and grant tokens that lift a key policy's implicit denial. */
class GrantsTest {
  static final String EAST = "us-east-1";
  static final String WEST = "us-west-2";
  static final String ACCOUNT = "111122223333";
  static final String APP = "arn:aws:iam::" + ACCOUNT + ":role/App";

  /** Allows the admin actions only: every data-path call needs a grant. */
  static final String ADMIN_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
          + ACCOUNT
          + ":root\"},\"Action\":[\"kms:Create*\",\"kms:List*\",\"kms:Put*\",\"kms:Revoke*\",\"kms:Get*\",\"kms:ReplicateKey\"],\"Resource\":\"*\"}]}";

  static LocalKms kms;
  static KmsClient east;
  static KmsClient west;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(EAST, WEST).account(ACCOUNT).start();
    east = SdkClients.noRetries(kms, EAST);
    west = SdkClients.noRetries(kms, WEST);
  }

  @AfterAll
  static void stop() {
    east.close();
    west.close();
    kms.close();
  }

  static String restrictedMrk() {
    String id = kms.createMultiRegionKey(EAST, WEST);
    east.putKeyPolicy(b -> b.keyId(id).policy(ADMIN_ONLY));
    west.putKeyPolicy(b -> b.keyId(id).policy(ADMIN_ONLY));
    return id;
  }

  static SdkBytes text(String s) {
    return SdkBytes.fromUtf8String(s);
  }

  @Test
  void grantToken_allowsTheGrantedOperations_only() {
    String id = restrictedMrk();
    assertThatThrownBy(() -> east.encrypt(b -> b.keyId(id).plaintext(text("x"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    CreateGrantResponse g =
        east.createGrant(
            b ->
                b.keyId(id)
                    .granteePrincipal(APP)
                    .operations(GrantOperation.ENCRYPT, GrantOperation.DECRYPT));
    assertThat(g.grantId()).matches("[0-9a-f]{64}");

    SdkBytes blob =
        east.encrypt(b -> b.keyId(id).plaintext(text("granted")).grantTokens(g.grantToken()))
            .ciphertextBlob();
    assertThat(
            east.decrypt(b -> b.ciphertextBlob(blob).grantTokens(g.grantToken()))
                .plaintext()
                .asUtf8String())
        .isEqualTo("granted");
    assertThatThrownBy(() -> east.decrypt(b -> b.ciphertextBlob(blob)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThatThrownBy(
            () ->
                east.generateDataKey(
                    b -> b.keyId(id).numberOfBytes(32).grantTokens(g.grantToken())))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }

  @Test
  void grants_arePerReplica_aTokenIsInvalidInAnotherRegion() {
    String id = restrictedMrk();
    CreateGrantResponse g =
        east.createGrant(
            b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.GENERATE_DATA_KEY));
    assertThat(
            east.generateDataKey(b -> b.keyId(id).numberOfBytes(16).grantTokens(g.grantToken()))
                .plaintext()
                .asByteArray())
        .hasSize(16);
    assertThatThrownBy(
            () ->
                west.generateDataKey(
                    b -> b.keyId(id).numberOfBytes(16).grantTokens(g.grantToken())))
        .isInstanceOf(InvalidGrantTokenException.class);
    assertThat(west.listGrants(b -> b.keyId(id)).grants()).isEmpty();
    assertThat(east.listGrants(b -> b.keyId(id)).grants())
        .extracting(GrantListEntry::grantId)
        .containsExactly(g.grantId());
  }

  @Test
  void encryptionContextConstraint_limitsTheGrant() {
    String id = restrictedMrk();
    CreateGrantResponse g =
        east.createGrant(
            b ->
                b.keyId(id)
                    .granteePrincipal(APP)
                    .operations(GrantOperation.ENCRYPT)
                    .constraints(c -> c.encryptionContextSubset(Map.of("tenant", "a"))));
    east.encrypt(
        b ->
            b.keyId(id)
                .plaintext(text("x"))
                .encryptionContext(Map.of("tenant", "a", "k", "v"))
                .grantTokens(g.grantToken()));
    assertThatThrownBy(
            () ->
                east.encrypt(
                    b ->
                        b.keyId(id)
                            .plaintext(text("x"))
                            .encryptionContext(Map.of("tenant", "b"))
                            .grantTokens(g.grantToken())))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    GrantListEntry entry = east.listGrants(b -> b.keyId(id)).grants().get(0);
    assertThat(entry.constraints().encryptionContextSubset()).containsEntry("tenant", "a");
    assertThat(entry.keyId()).isEqualTo(kms.keyArn(EAST, id));
    assertThat(entry.granteePrincipal()).isEqualTo(APP);
    assertThat(entry.operations()).containsExactly(GrantOperation.ENCRYPT);
  }

  @Test
  void explicitDeny_winsOverAGrant() {
    String id = kms.createKey(EAST);
    String denyDecrypt =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + ACCOUNT
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    east.putKeyPolicy(b -> b.keyId(id).policy(denyDecrypt));
    CreateGrantResponse g =
        east.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.DECRYPT));
    SdkBytes blob = east.encrypt(b -> b.keyId(id).plaintext(text("x"))).ciphertextBlob();
    assertThatThrownBy(() -> east.decrypt(b -> b.ciphertextBlob(blob).grantTokens(g.grantToken())))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }

  @Test
  void retireAndRevoke_removeTheGrant_andItsTokens() {
    String id = restrictedMrk();
    CreateGrantResponse byToken =
        east.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.ENCRYPT));
    CreateGrantResponse byId =
        east.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.ENCRYPT));
    CreateGrantResponse revoked =
        east.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.ENCRYPT));
    assertThat(east.listGrants(b -> b.keyId(id)).grants()).hasSize(3);

    east.retireGrant(b -> b.grantToken(byToken.grantToken()));
    east.retireGrant(b -> b.keyId(kms.keyArn(EAST, id)).grantId(byId.grantId()));
    east.revokeGrant(b -> b.keyId(id).grantId(revoked.grantId()));
    assertThat(east.listGrants(b -> b.keyId(id)).grants()).isEmpty();
    assertThatThrownBy(
            () ->
                east.encrypt(
                    b -> b.keyId(id).plaintext(text("x")).grantTokens(revoked.grantToken())))
        .isInstanceOf(InvalidGrantTokenException.class);
    assertThatThrownBy(() -> east.revokeGrant(b -> b.keyId(id).grantId(revoked.grantId())))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> east.revokeGrant(b -> b.keyId(id).grantId("not-a-grant")))
        .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidGrantIdException"));
  }

  @Test
  void createGrant_sameNameAndParameters_returnsTheSameGrantId_andValidatesOperations() {
    String id = kms.createKey(EAST);
    CreateGrantResponse a =
        east.createGrant(
            b -> b.keyId(id).name("app").granteePrincipal(APP).operations(GrantOperation.DECRYPT));
    CreateGrantResponse b2 =
        east.createGrant(
            b -> b.keyId(id).name("app").granteePrincipal(APP).operations(GrantOperation.DECRYPT));
    assertThat(b2.grantId()).isEqualTo(a.grantId());
    assertThat(b2.grantToken()).isNotEqualTo(a.grantToken());
    assertThat(east.listGrants(b -> b.keyId(id).granteePrincipal(APP)).grants()).hasSize(1);
    assertThatThrownBy(
            () ->
                east.createGrant(
                    b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.SIGN)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> east.createGrant(b -> b.keyId(id).granteePrincipal(APP)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }

  @Test
  void signingKeyGrant_allowsSignAndGetPublicKey() {
    String id =
        east.createKey(
                b ->
                    b.keySpec(KeySpec.ECC_NIST_P256)
                        .keyUsage(KeyUsageType.SIGN_VERIFY)
                        .policy(ADMIN_ONLY))
            .keyMetadata()
            .keyId();
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(id)
                            .message(text("m"))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    CreateGrantResponse g =
        east.createGrant(b -> b.keyId(id).granteePrincipal(APP).operations(GrantOperation.SIGN));
    assertThat(
            east.sign(
                    b ->
                        b.keyId(id)
                            .message(text("m"))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                            .grantTokens(g.grantToken()))
                .signature())
        .isNotNull();
  }

  @Test
  void grantToTheCallingPrincipal_appliesWithoutAToken() {
    String id = restrictedMrk();
    east.createGrant(
        b ->
            b.keyId(id)
                .granteePrincipal("arn:aws:iam::" + ACCOUNT + ":root")
                .operations(GrantOperation.ENCRYPT));
    assertThat(east.encrypt(b -> b.keyId(id).plaintext(text("x"))).keyId())
        .isEqualTo(kms.keyArn(EAST, id));
  }
}
