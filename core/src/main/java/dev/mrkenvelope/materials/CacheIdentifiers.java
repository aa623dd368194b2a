package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.internal.EncryptionContexts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The cache entry identifiers of the ESDK caching CMM, legacy formula (specification v0.3.0,
 * implemented with SHA-512 by ESDK-Java 3.0.2, Python, JavaScript, C and the MPL's Dafny caching
 * CMM). With {@code P = SHA512(UTF8(partition))} and {@code SerEC} the canonical context
 * serialization (empty for an empty context):
 *
 * <pre>
 * encrypt, no suite:   SHA512( P ‖ 0x00 ‖ SHA512(SerEC(ec)) )
 * encrypt, with suite: SHA512( P ‖ 0x01 ‖ u16 suiteId ‖ SHA512(SerEC(ec)) )
 * decrypt:             SHA512( P ‖ u16 suiteId ‖ sorted( SHA512(edkEntry_i) )... ‖ 64 zero bytes
 *                              ‖ SHA512(SerEC(ec)) )
 * </pre>
 *
 * where {@code edkEntry} is the header's EDK entry ({@code u16 len ‖ providerId ‖ u16 len ‖
 * providerInfo ‖ u16 len ‖ ciphertext}) and the EDK hashes are sorted as unsigned byte strings. The
 * encryption context is the request's: the caller's pairs on encrypt, the pairs stored in the
 * header on decrypt.
 *
 * <p>Thread-safe: digests are per thread.
 */
final class CacheIdentifiers {
  /** Identifier length: one SHA-512 output. */
  static final int LENGTH = 64;

  private static final ThreadLocal<MessageDigest> SHA512 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("the JDK lacks SHA-512", e);
            }
          });

  private final byte[] partitionDigest;

  CacheIdentifiers(String partition) {
    this.partitionDigest = sha512().digest(partition.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha512() {
    MessageDigest d = SHA512.get();
    d.reset();
    return d;
  }

  /** The identifier of an encryption materials request; {@code suite} may be null (not given). */
  byte[] forEncrypt(AlgorithmSuite suite, Map<String, String> encryptionContext) {
    MessageDigest d = sha512();
    byte[] ecDigest = d.digest(EncryptionContexts.serialize(encryptionContext));
    d.update(partitionDigest);
    if (suite == null) {
      d.update((byte) 0x00);
    } else {
      d.update((byte) 0x01);
      d.update((byte) (suite.id() >>> 8));
      d.update((byte) suite.id());
    }
    d.update(ecDigest);
    return d.digest();
  }

  /** The identifier of a decryption materials request. */
  byte[] forDecrypt(
      AlgorithmSuite suite,
      List<EncryptedDataKey> encryptedDataKeys,
      Map<String, String> encryptionContext) {
    MessageDigest d = sha512();
    byte[] ecDigest = d.digest(EncryptionContexts.serialize(encryptionContext));
    byte[][] edkDigests = new byte[encryptedDataKeys.size()][];
    for (int i = 0; i < edkDigests.length; i++) {
      edkDigests[i] = d.digest(serialize(encryptedDataKeys.get(i)));
    }
    Arrays.sort(edkDigests, Arrays::compareUnsigned);
    d.update(partitionDigest);
    d.update((byte) (suite.id() >>> 8));
    d.update((byte) suite.id());
    for (byte[] edkDigest : edkDigests) {
      d.update(edkDigest);
    }
    d.update(new byte[LENGTH]);
    d.update(ecDigest);
    return d.digest();
  }

  /** The header's EDK entry: three u16-length-prefixed fields. */
  static byte[] serialize(EncryptedDataKey edk) {
    byte[] id = EncryptionContexts.utf8(edk.providerId());
    byte[] info = edk.providerInfo();
    byte[] ct = edk.ciphertext();
    byte[] out = new byte[6 + id.length + info.length + ct.length];
    int p = put(out, 0, id);
    p = put(out, p, info);
    put(out, p, ct);
    return out;
  }

  private static int put(byte[] out, int p, byte[] field) {
    out[p] = (byte) (field.length >>> 8);
    out[p + 1] = (byte) field.length;
    System.arraycopy(field, 0, out, p + 2, field.length);
    return p + 2 + field.length;
  }
}
