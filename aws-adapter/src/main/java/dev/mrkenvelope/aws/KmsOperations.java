package dev.mrkenvelope.aws;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * The three KMS requests the keyrings make, with the ESDK's checks on each answer, routed through a
 * {@link KmsRouter}. Plaintext data keys are copied out of SDK buffers and the buffers zeroed (best
 * effort: the SDK may hold other copies).
 */
final class KmsOperations {
  static final String PROVIDER_ID = "aws-kms";

  private KmsOperations() {}

  /** What GenerateDataKey or Encrypt gave: the data key (or null) and the EDK. */
  static final class Wrapped {
    final byte[] plaintext;
    final EncryptedDataKey edk;

    Wrapped(byte[] plaintext, EncryptedDataKey edk) {
      this.plaintext = plaintext;
      this.edk = edk;
    }
  }

  /**
   * Adds a KMS-wrapped data key to {@code materials}: GenerateDataKey if they have no data key yet,
   * Encrypt of their data key otherwise, starting where {@code where} says.
   */
  static EncryptionMaterials wrap(
      KmsRouter router,
      KmsArn key,
      EncryptRegion where,
      List<String> grantTokens,
      EncryptionMaterials materials) {
    Map<String, String> ec = materials.encryptionContext();
    KmsRouter.KeyTarget target = KmsRouter.target(key);
    String firstRegion = where == EncryptRegion.KEY_REGION ? key.region() : null;
    if (!materials.hasPlaintextDataKey()) {
      int n = materials.algorithmSuite().dataKeyLength();
      Wrapped w =
          router.call(
              "GenerateDataKey",
              target,
              firstRegion,
              new KmsRouter.KmsCall<Wrapped>() {
                @Override
                public Wrapped invoke(
                    software.amazon.awssdk.services.kms.KmsClient client,
                    String arn,
                    software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration timeouts) {
                  GenerateDataKeyResponse r =
                      client.generateDataKey(
                          b ->
                              b.keyId(arn)
                                  .numberOfBytes(n)
                                  .encryptionContext(ec)
                                  .grantTokens(grantTokens)
                                  .overrideConfiguration(timeouts));
                  byte[] pt =
                      r.plaintext() == null ? new byte[0] : r.plaintext().asByteArrayUnsafe();
                  try {
                    checkKeyId("GenerateDataKey", r.keyId(), arn);
                    if (pt.length != n) {
                      throw new RejectedResponseException(
                          "GenerateDataKey returned a "
                              + pt.length
                              + "-byte data key; "
                              + materials.algorithmSuite()
                              + " needs "
                              + n);
                    }
                    return new Wrapped(pt.clone(), edk(r.keyId(), r.ciphertextBlob()));
                  } finally {
                    Arrays.fill(pt, (byte) 0);
                  }
                }

                @Override
                public void discard(Wrapped w) {
                  Arrays.fill(w.plaintext, (byte) 0);
                }
              });
      try {
        return materials.withPlaintextDataKey(w.plaintext).withEncryptedDataKey(w.edk);
      } finally {
        Arrays.fill(w.plaintext, (byte) 0);
      }
    }
    byte[] dataKey = materials.plaintextDataKey().orElseThrow();
    try {
      EncryptedDataKey edk =
          router.call(
              "Encrypt",
              target,
              firstRegion,
              (client, arn, timeouts) -> {
                EncryptResponse r =
                    client.encrypt(
                        b ->
                            b.keyId(arn)
                                .plaintext(SdkBytes.fromByteArrayUnsafe(dataKey))
                                .encryptionContext(ec)
                                .grantTokens(grantTokens)
                                .overrideConfiguration(timeouts));
                checkKeyId("Encrypt", r.keyId(), arn);
                return edk(r.keyId(), r.ciphertextBlob());
              });
      return materials.withEncryptedDataKey(edk);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private static EncryptedDataKey edk(String keyId, SdkBytes blob) {
    if (blob == null || blob.asByteArrayUnsafe().length == 0) {
      throw new RejectedResponseException("KMS returned no CiphertextBlob");
    }
    // Provider info = the ARN KMS returned, as the ESDK writes it.
    return EncryptedDataKey.of(
        PROVIDER_ID, keyId.getBytes(StandardCharsets.UTF_8), blob.asByteArray());
  }

  /** The KeyId KMS returns on encrypt must be a key ARN of the key that was asked for. */
  private static void checkKeyId(String operation, String returned, String requested) {
    Optional<KmsArn> a = KmsArn.tryParse(returned);
    if (a.isEmpty() || !a.get().isKey()) {
      throw new RejectedResponseException(
          operation
              + " answered with KeyId '"
              + Untrusted.escape(returned)
              + "', which is not a key ARN");
    }
    if (!KmsArn.mrkMatch(returned, requested)) {
      throw new RejectedResponseException(
          operation
              + " answered with KeyId "
              + Untrusted.escape(returned)
              + ", not the requested "
              + requested);
    }
  }

  /** Where a keyring decrypts one aws-kms EDK whose provider info is a key ARN. */
  interface EdkRoute {
    /**
     * @return the key to call Decrypt with, or {@code null} to skip this EDK (adding to {@code
     *     failures} when the skip is worth reporting)
     */
    KmsRouter.KeyTarget route(
        String providerInfo, KmsArn arn, List<DataKeyUnwrapException> failures);
  }

  /** Builds the exception of a keyring that could not unwrap any EDK. */
  interface NoKey {
    NoDecryptableKeyException build(List<DataKeyUnwrapException> failures, KmsCallException first);
  }

  /**
   * The decrypt loop the KMS keyrings share. First, every aws-kms EDK's provider info must be a key
   * ARN, or the whole call fails before any KMS request (as the ESDK specification requires: a
   * malformed message is not skipped over). Then, for each aws-kms EDK that {@code route} accepts,
   * Decrypt through the router; the first data key wins. Every failed Region is collected for the
   * exception {@code noKey} builds.
   */
  static DecryptionMaterials decryptFirst(
      KmsRouter router,
      List<String> grantTokens,
      DecryptionMaterials materials,
      List<EncryptedDataKey> encryptedDataKeys,
      EdkRoute route,
      NoKey noKey) {
    if (materials.hasPlaintextDataKey()) {
      return materials;
    }
    List<EncryptedDataKey> kmsEdks = new ArrayList<>();
    List<KmsArn> arns = new ArrayList<>();
    for (EncryptedDataKey edk : encryptedDataKeys) {
      if (edk.providerId().equals(PROVIDER_ID)) {
        kmsEdks.add(edk);
        arns.add(keyArnOf(edk));
      }
    }
    List<DataKeyUnwrapException> failures = new ArrayList<>();
    KmsCallException first = null;
    int n = materials.algorithmSuite().dataKeyLength();
    for (int i = 0; i < kmsEdks.size(); i++) {
      EncryptedDataKey edk = kmsEdks.get(i);
      KmsRouter.KeyTarget target = route.route(edk.providerInfoUtf8(), arns.get(i), failures);
      if (target == null) {
        continue;
      }
      try {
        byte[] dataKey = unwrap(router, target, grantTokens, edk, materials.encryptionContext(), n);
        try {
          return materials.withPlaintextDataKey(dataKey);
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      } catch (KmsCallException e) {
        first = first == null ? e : first;
        addAttempts(failures, e);
      }
    }
    throw noKey.build(failures, first);
  }

  /**
   * The key ARN an aws-kms EDK names.
   *
   * @throws NoDecryptableKeyException if its provider info is not a key ARN
   */
  private static KmsArn keyArnOf(EncryptedDataKey edk) {
    String info = edk.providerInfoUtf8();
    Optional<KmsArn> arn = KmsArn.tryParse(info);
    if (arn.isPresent() && arn.get().isKey()) {
      return arn.get();
    }
    String shown = Untrusted.escape(info);
    throw noDecryptableKey(
        "the message is malformed: the provider info of an aws-kms encrypted data key ('"
            + shown
            + "') is not a KMS key ARN; no KMS request was made",
        List.of(
            new DataKeyUnwrapException(
                PROVIDER_ID, shown, null, "the provider info is not a KMS key ARN", null)),
        null);
  }

  /**
   * Unwraps one EDK with Decrypt in the Region the router picks; the answer's KeyId must equal the
   * ARN asked for in that Region.
   */
  static byte[] unwrap(
      KmsRouter router,
      KmsRouter.KeyTarget target,
      List<String> grantTokens,
      EncryptedDataKey edk,
      Map<String, String> ec,
      int dataKeyLength) {
    byte[] ciphertext = edk.ciphertext();
    return router.call(
        "Decrypt",
        target,
        null,
        new KmsRouter.KmsCall<byte[]>() {
          @Override
          public byte[] invoke(
              software.amazon.awssdk.services.kms.KmsClient client,
              String arn,
              software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration timeouts) {
            DecryptResponse r =
                client.decrypt(
                    b ->
                        b.keyId(arn)
                            .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(ciphertext))
                            .encryptionContext(ec)
                            .grantTokens(grantTokens)
                            .overrideConfiguration(timeouts));
            byte[] pt = r.plaintext() == null ? new byte[0] : r.plaintext().asByteArrayUnsafe();
            try {
              if (!arn.equals(r.keyId())) {
                throw new RejectedResponseException(
                    "Decrypt answered with KeyId "
                        + Untrusted.escape(r.keyId())
                        + ", not the requested "
                        + arn);
              }
              if (pt.length != dataKeyLength) {
                throw new RejectedResponseException(
                    "Decrypt returned a "
                        + pt.length
                        + "-byte data key; the suite needs "
                        + dataKeyLength);
              }
              return pt.clone();
            } finally {
              Arrays.fill(pt, (byte) 0);
            }
          }

          @Override
          public void discard(byte[] dataKey) {
            Arrays.fill(dataKey, (byte) 0);
          }
        });
  }

  /**
   * One suppressed exception per Region of a failed unwrap, each on one line (key, Region, outcome,
   * KMS error code, detail, hint), with the Region's {@link KmsAttemptException} as cause so that
   * its {@code retryable()} can be read per attempt.
   */
  static void addAttempts(List<DataKeyUnwrapException> out, KmsCallException e) {
    if (e.attempts().isEmpty()) {
      String summary = e.getMessage();
      out.add(new DataKeyUnwrapException(PROVIDER_ID, e.keyId(), null, summary, e));
      return;
    }
    for (RegionAttempt a : e.attempts()) {
      String detail = a.detail().isEmpty() ? "" : " (" + a.detail() + ")";
      String reason =
          a.outcome() + a.errorCode().map(c -> " " + c).orElse("") + detail + " -> " + a.hint();
      out.add(
          new DataKeyUnwrapException(
              PROVIDER_ID,
              a.keyId() != null ? a.keyId() : e.keyId(),
              a.region(),
              reason,
              new KmsAttemptException(e.operation(), a)));
    }
  }

  /** The keyring contract's exception, with every attempt suppressed and the first cause. */
  static NoDecryptableKeyException noDecryptableKey(
      String message, List<DataKeyUnwrapException> attempts, KmsCallException cause) {
    NoDecryptableKeyException e =
        cause == null
            ? new NoDecryptableKeyException(message)
            : new NoDecryptableKeyException(message, cause);
    attempts.forEach(e::addSuppressed);
    return e;
  }
}
