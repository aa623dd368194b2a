package dev.mrkenvelope.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.NativeProviderCondition;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code aws-crypto-public-key} decoding, checked against plain {@link BigInteger} arithmetic
 * on the curve equation. Runs in the JCA run (Bouncy Castle decompresses) and in the
 * native-provider run (ACCP decompresses), so both paths are held to the same answers.
 */
class EcdsaPublicKeyDecodingTest {

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
      })
  void freshKeys_roundTripThroughCompressedEncoding(AlgorithmSuite suite) {
    Ecdsa ecdsa = Ecdsa.forSuite(suite);
    // SunEC cannot decode compressed points; ACCP can, and must then be the one doing it.
    assertThat(ecdsa.decodesWithProvider()).isEqualTo(NativeProviderCondition.active());
    for (int i = 0; i < 50; i++) {
      KeyPair kp = ecdsa.generateKeyPair();
      ECPublicKey decoded =
          (ECPublicKey) ecdsa.decodePublicKeyOrNull(ecdsa.encodePublicKey(kp.getPublic()));
      assertThat(decoded).isNotNull();
      assertThat(decoded.getW()).isEqualTo(((ECPublicKey) kp.getPublic()).getW());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = AlgorithmSuite.class,
      names = {
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256",
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384"
      })
  void randomX_decodesExactlyWhenTheCurveHasSuchAPoint(AlgorithmSuite suite) {
    Ecdsa ecdsa = Ecdsa.forSuite(suite);
    ECParameterSpec params = ((ECPublicKey) ecdsa.generateKeyPair().getPublic()).getParams();
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    int fieldLength = (p.bitLength() + 7) / 8;
    SplittableRandom random = new SplittableRandom(suite.id());
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < 200; i++) {
      byte[] encoded = new byte[1 + fieldLength];
      for (int j = 1; j < encoded.length; j++) {
        encoded[j] = (byte) random.nextInt(256);
      }
      encoded[0] = (byte) (random.nextBoolean() ? 0x02 : 0x03);
      BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(encoded, 1, encoded.length));
      ECPoint expected = solve(params, p, x, encoded[0] == 0x03);
      ECPublicKey key =
          (ECPublicKey) ecdsa.decodePublicKeyOrNull(Base64.getEncoder().encodeToString(encoded));
      if (expected == null) {
        assertThat(key).as("x=%s has no point", x).isNull();
        rejected++;
      } else {
        assertThat(key).as("x=%s", x).isNotNull();
        assertThat(key.getW()).isEqualTo(expected);
        decoded++;
      }
    }
    // About half of all x values are on the curve: both branches were exercised.
    assertThat(decoded).isGreaterThan(50);
    assertThat(rejected).isGreaterThan(50);
  }

  /** y with the given parity such that y^2 = x^3 + ax + b (mod p), or null; p = 3 (mod 4). */
  private static ECPoint solve(ECParameterSpec params, BigInteger p, BigInteger x, boolean odd) {
    if (x.compareTo(p) >= 0) {
      return null;
    }
    BigInteger rhs =
        x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
    BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    if (!y.multiply(y).mod(p).equals(rhs)) {
      return null;
    }
    if (y.testBit(0) != odd) {
      y = p.subtract(y).mod(p);
    }
    if (y.signum() == 0 && odd) {
      return null;
    }
    return new ECPoint(x, y);
  }
}
