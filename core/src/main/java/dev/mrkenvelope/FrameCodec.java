package dev.mrkenvelope;

import dev.mrkenvelope.internal.AesGcm;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * The message body's frames, sealed and opened in one place for the byte[] API and both streams (as
 * Tink's segment encrypter and decrypter).
 *
 * <p>Framed body: regular frames {@code u32 seq ‖ IV(12) ‖ ciphertext(frameLength) ‖ tag(16)}, then
 * exactly one final frame {@code FFFFFFFF ‖ u32 seq ‖ IV(12) ‖ u32 len ‖ ciphertext(len) ‖ tag(16)}
 * with {@code len ≤ frameLength}. Sequence numbers start at 1; the IV is {@code 0^8 ‖ u32 seq}.
 * Each frame's AAD is {@code messageId ‖ label ‖ u32 seq ‖ u64 plaintextLength}. This writer makes
 * a plaintext that is an exact multiple of the frame length end in a full final frame (as the
 * .NET/Dafny ESDK does); readers accept both that and an empty final frame.
 *
 * <p>Non-framed body (read only): {@code IV(12) ‖ u64 len ‖ ciphertext(len) ‖ tag(16)}, AAD with
 * the single-block label and sequence number 1.
 *
 * <p>One instance per message and thread: it reuses its IV and regular-frame AAD buffers.
 */
final class FrameCodec {
  static final long FINAL_FRAME_MARKER = 0xFFFFFFFFL;
  static final long MAX_FRAMES = 0xFFFFFFFFL;

  /** {@code u32 seq ‖ IV}: what precedes a regular frame's ciphertext. */
  static final int REGULAR_HEADER = 4 + AesGcm.IV_LENGTH;

  /** {@code FFFFFFFF ‖ u32 seq ‖ IV ‖ u32 len}: what precedes the final frame's ciphertext. */
  static final int FINAL_HEADER = 4 + 4 + AesGcm.IV_LENGTH + 4;

  /** {@code IV ‖ u64 len}: what precedes a non-framed body's ciphertext. */
  static final int NON_FRAMED_HEADER = AesGcm.IV_LENGTH + 8;

  static final int TAG_LENGTH = AesGcm.TAG_LENGTH;

  /** GCM's limit for one key and IV, and the ESDK's bound on a non-framed body. */
  static final long MAX_NON_FRAMED_LENGTH = (1L << 36) - 32;

  /**
   * The largest frame or non-framed body either API holds in one array (with its tag); a longer one
   * cannot be decrypted here whatever the limits.
   */
  static final long MAX_FRAME_IN_MEMORY = Integer.MAX_VALUE - 64;

  /** ESDK-Java parses the frame length as a signed int; stay readable by it. */
  static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE;

  private static final byte[] FRAME_LABEL = ascii("AWSKMSEncryptionClient Frame");
  private static final byte[] FINAL_FRAME_LABEL = ascii("AWSKMSEncryptionClient Final Frame");
  private static final byte[] SINGLE_BLOCK_LABEL = ascii("AWSKMSEncryptionClient Single Block");

  private final SecretKeySpec key;
  private final byte[] messageId;

  private final long frameLength;

  /**
   * The regular frames' AAD, made at the first regular frame (a message shorter than one frame has
   * none); only the sequence number changes from frame to frame. Not thread-safe, as the codec.
   */
  private byte[] regularAad;

  private final byte[] iv = new byte[AesGcm.IV_LENGTH];

  FrameCodec(SecretKeySpec key, byte[] messageId, long frameLength) {
    this.key = key;
    this.messageId = messageId;
    this.frameLength = frameLength;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code messageId ‖ label ‖ u32 seq ‖ u64 length}. */
  private byte[] aad(byte[] label, long seq, long length) {
    byte[] aad = new byte[messageId.length + label.length + 12];
    System.arraycopy(messageId, 0, aad, 0, messageId.length);
    System.arraycopy(label, 0, aad, messageId.length, label.length);
    int p = messageId.length + label.length;
    BigEndian.putU32(aad, p, seq);
    BigEndian.putU64(aad, p + 4, length);
    return aad;
  }

  private byte[] regularAad(long seq) {
    if (regularAad == null) {
      regularAad = aad(FRAME_LABEL, seq, frameLength);
      return regularAad;
    }
    BigEndian.putU32(regularAad, messageId.length + FRAME_LABEL.length, seq);
    return regularAad;
  }

  /** Sets {@link #iv} to {@code 0^8 ‖ u32 seq} and writes it at {@code out[p]}. */
  private void writeIv(long seq, byte[] out, int p) {
    BigEndian.putU32(iv, 8, seq);
    System.arraycopy(iv, 0, out, p, AesGcm.IV_LENGTH);
  }

  /**
   * Writes regular frame {@code seq} of {@code pt[off, off+len)} (len = the frame length) at {@code
   * out[p]}.
   *
   * @return the bytes written: {@link #REGULAR_HEADER} + len + {@link #TAG_LENGTH}
   */
  int sealRegular(long seq, byte[] pt, int off, int len, byte[] out, int p) {
    BigEndian.putU32(out, p, seq);
    writeIv(seq, out, p + 4);
    return REGULAR_HEADER
        + AesGcm.encrypt(key, iv, regularAad(seq), pt, off, len, out, p + REGULAR_HEADER);
  }

  /**
   * Writes the final frame {@code seq} of {@code pt[off, off+len)} at {@code out[p]}.
   *
   * @return the bytes written: {@link #FINAL_HEADER} + len + {@link #TAG_LENGTH}
   */
  int sealFinal(long seq, byte[] pt, int off, int len, byte[] out, int p) {
    BigEndian.putU32(out, p, FINAL_FRAME_MARKER);
    BigEndian.putU32(out, p + 4, seq);
    writeIv(seq, out, p + 8);
    BigEndian.putU32(out, p + 20, len);
    byte[] aad = aad(FINAL_FRAME_LABEL, seq, len);
    return FINAL_HEADER + AesGcm.encrypt(key, iv, aad, pt, off, len, out, p + FINAL_HEADER);
  }

  /**
   * Opens regular frame {@code seq}: IV at {@code ivSource[ivOff]}, ciphertext‖tag of a {@code
   * len}-byte plaintext at {@code ct[ctOff]}, plaintext to {@code out[outOff]}.
   *
   * @return false if the tag does not verify (nothing written is valid then)
   */
  boolean openRegular(
      long seq, byte[] ivSource, int ivOff, byte[] ct, int ctOff, int len, byte[] out, int outOff) {
    return AesGcm.decrypt(
            key, ivSource, ivOff, regularAad(seq), ct, ctOff, len + TAG_LENGTH, out, outOff)
        >= 0;
  }

  /** As {@link #openRegular}, for the final frame. */
  boolean openFinal(
      long seq, byte[] ivSource, int ivOff, byte[] ct, int ctOff, int len, byte[] out, int outOff) {
    byte[] aad = aad(FINAL_FRAME_LABEL, seq, len);
    return AesGcm.decrypt(key, ivSource, ivOff, aad, ct, ctOff, len + TAG_LENGTH, out, outOff) >= 0;
  }

  /** As {@link #openRegular}, for a non-framed body. */
  boolean openNonFramed(
      byte[] ivSource, int ivOff, byte[] ct, int ctOff, int len, byte[] out, int outOff) {
    byte[] aad = aad(SINGLE_BLOCK_LABEL, 1, len);
    return AesGcm.decrypt(key, ivSource, ivOff, aad, ct, ctOff, len + TAG_LENGTH, out, outOff) >= 0;
  }
}
