package dev.mrkenvelope.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.impl.ECDSA;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * DER ↔ JOSE ECDSA signature conversion, checked against Nimbus's transcoder and the JCA (neither
 * shares code with {@link EcdsaSignatures}).
 */
class EcdsaSignaturesProperties {

  /** A JOSE r‖s for one of the three curve sizes, with r and s from 1 up to the field size. */
  @Provide
  Arbitrary<byte[]> concat() {
    return Arbitraries.of(32, 48, 66)
        .flatMap(
            n -> {
              Arbitrary<BigInteger> v =
                  Arbitraries.bigIntegers()
                      .between(
                          BigInteger.ONE, BigInteger.ONE.shiftLeft(8 * n).subtract(BigInteger.ONE))
                      .edgeCases(e -> e.add(BigInteger.ONE).add(BigInteger.valueOf(0x80)));
              return Combinators.combine(v, v).as((r, s) -> concat(r, s, n));
            });
  }

  private static byte[] concat(BigInteger r, BigInteger s, int n) {
    byte[] out = new byte[2 * n];
    put(r, out, 0, n);
    put(s, out, n, n);
    return out;
  }

  private static void put(BigInteger v, byte[] out, int off, int n) {
    byte[] b = v.toByteArray();
    int skip = b.length > n ? b.length - n : 0; // the sign byte
    System.arraycopy(b, skip, out, off + n - (b.length - skip), b.length - skip);
  }

  @Property
  void concatToDer_matchesNimbusAndRoundTrips(@ForAll("concat") byte[] concat) throws Exception {
    byte[] der = EcdsaSignatures.concatToDer(concat);

    assertThat(der).isEqualTo(ECDSA.transcodeSignatureToDER(concat));
    assertThat(EcdsaSignatures.derToConcat(der, concat.length / 2)).isEqualTo(concat);
    assertThat(ECDSA.transcodeSignatureToConcat(der, concat.length)).isEqualTo(concat);
  }

  @Property(tries = 60)
  void jcaSignature_convertsAndBackToTheSameDer(
      @ForAll("curves") String curve, @ForAll @Size(max = 64) byte[] message) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    KeyPair kp = g.generateKeyPair();
    String alg =
        curve.equals("secp256r1")
            ? "SHA256withECDSA"
            : curve.equals("secp384r1") ? "SHA384withECDSA" : "SHA512withECDSA";
    int n = curve.equals("secp256r1") ? 32 : curve.equals("secp384r1") ? 48 : 66;
    Signature s = Signature.getInstance(alg);
    s.initSign(kp.getPrivate());
    s.update(message);
    byte[] der = s.sign();

    byte[] concat = EcdsaSignatures.derToConcat(der, n);

    assertThat(concat).hasSize(2 * n).isEqualTo(ECDSA.transcodeSignatureToConcat(der, 2 * n));
    assertThat(EcdsaSignatures.concatToDer(concat)).isEqualTo(der);
  }

  @Provide
  Arbitrary<String> curves() {
    return Arbitraries.of("secp256r1", "secp384r1", "secp521r1");
  }

  /**
   * Strictness: any byte string is either refused or is exactly the canonical DER of what it
   * decodes to (no second encoding of one signature is accepted).
   */
  @Property
  void anyBytes_areRefusedOrCanonical(
      @ForAll @Size(max = 150) byte[] bytes, @ForAll("sizes") int n) {
    byte[] concat;
    try {
      concat = EcdsaSignatures.derToConcat(bytes, n);
    } catch (IllegalArgumentException e) {
      return;
    }
    assertThat(EcdsaSignatures.concatToDer(concat)).isEqualTo(bytes);
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(32, 48, 66);
  }

  @Property
  void truncatedOrExtendedDer_isRefused(
      @ForAll("concat") byte[] concat, @ForAll @IntRange(min = 1, max = 8) int cut) {
    byte[] der = EcdsaSignatures.concatToDer(concat);
    int n = concat.length / 2;
    byte[] truncated = Arrays.copyOf(der, Math.max(0, der.length - cut));
    byte[] extended = Arrays.copyOf(der, der.length + cut);

    assertThatThrownBy(() -> EcdsaSignatures.derToConcat(truncated, n))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EcdsaSignatures.derToConcat(extended, n))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void integerLongerThanTheCurve_isRefused() {
    byte[] p384Sized = new byte[96];
    p384Sized[0] = 1;
    p384Sized[48] = 1;
    byte[] der = EcdsaSignatures.concatToDer(p384Sized);

    assertThatThrownBy(() -> EcdsaSignatures.derToConcat(der, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the curve allows 32");
    assertThat(EcdsaSignatures.derToConcat(der, 48)).isEqualTo(p384Sized);
  }
}
