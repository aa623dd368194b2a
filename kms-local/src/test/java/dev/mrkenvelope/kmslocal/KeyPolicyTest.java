package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static dev.mrkenvelope.kmslocal.SdkClients.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

class KeyPolicyTest {
  static final String REGION = "us-east-2";
  static LocalKms kms;
  static KmsClient client;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(REGION).start();
    client = SdkClients.noRetries(kms, REGION);
  }

  @AfterAll
  static void stop() {
    client.close();
    kms.close();
  }

  static String policy(String... extraStatements) {
    StringBuilder sb =
        new StringBuilder(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    for (String s : extraStatements) {
      sb.append(',').append(s);
    }
    return sb.append("]}").toString();
  }

  static String keyWithPolicy(String policy) {
    return client.createKey(b -> b.policy(policy)).keyMetadata().keyId();
  }

  @Test
  void denyDecryptToEveryone_isAccessDenied_whileEncryptWorks() {
    String id =
        keyWithPolicy(
            policy(
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"));
    SdkBytes blob =
        client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(blob)))
        .isExactlyInstanceOf(KmsException.class)
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"))
        .satisfies(t -> assertThat(status(t)).isEqualTo(400))
        .hasMessageContaining("kms:Decrypt");
  }

  @Test
  void denyWildcardAndActionLists_matchCaseInsensitively() {
    String star =
        keyWithPolicy(
            policy(
                "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:Generate*\",\"Resource\":\"*\"}"));
    assertThatThrownBy(() -> client.generateDataKey(b -> b.keyId(star).numberOfBytes(32)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThat(client.encrypt(b -> b.keyId(star).plaintext(SdkBytes.fromUtf8String("x"))).keyId())
        .isNotNull();

    String list =
        keyWithPolicy(
            policy(
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"KMS:encrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\"}"));
    assertThatThrownBy(
            () -> client.encrypt(b -> b.keyId(list).plaintext(SdkBytes.fromUtf8String("x"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThatThrownBy(() -> client.describeKey(b -> b.keyId(list)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }

  @Test
  void denyOnEncryptionContextCondition_appliesOnlyToMatchingContext() {
    String id =
        keyWithPolicy(
            policy(
                "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\","
                    + "\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:tenant\":\"blocked\"}}}"));
    assertThat(
            client
                .encrypt(
                    b ->
                        b.keyId(id)
                            .plaintext(SdkBytes.fromUtf8String("x"))
                            .encryptionContext(Map.of("tenant", "ok")))
                .keyId())
        .isNotNull();
    assertThatThrownBy(
            () ->
                client.encrypt(
                    b ->
                        b.keyId(id)
                            .plaintext(SdkBytes.fromUtf8String("x"))
                            .encryptionContext(Map.of("tenant", "blocked"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }

  @Test
  void putKeyPolicy_denyingEverything_takesEffectOnlyWithBypass() {
    String id = keyWithPolicy(policy());
    String lockout =
        policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    assertThatThrownBy(() -> client.putKeyPolicy(b -> b.keyId(id).policy(lockout)))
        .isInstanceOf(MalformedPolicyDocumentException.class)
        .hasMessageContaining("BypassPolicyLockoutSafetyCheck");
    client.putKeyPolicy(b -> b.keyId(id).policy(lockout).bypassPolicyLockoutSafetyCheck(true));
    assertThatThrownBy(
            () -> client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
    assertThatThrownBy(() -> client.putKeyPolicy(b -> b.keyId(id).policy(policy())))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }

  @Test
  void policyWithoutMatchingAllow_deniesImplicitly() {
    String onlyDescribe =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/Admin\"},"
            + "\"Action\":[\"kms:DescribeKey\",\"kms:PutKeyPolicy\"],\"Resource\":\"*\"}]}";
    String id = keyWithPolicy(onlyDescribe);
    assertThat(client.describeKey(b -> b.keyId(id)).keyMetadata().keyId()).isEqualTo(id);
    assertThatThrownBy(
            () -> client.encrypt(b -> b.keyId(id).plaintext(SdkBytes.fromUtf8String("x"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"));
  }
}
