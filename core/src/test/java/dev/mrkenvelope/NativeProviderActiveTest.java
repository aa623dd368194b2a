package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

/**
 * Runs only in core's {@code native-provider} execution: proves that the algorithms the library
 * asks JCA for by name (the same strings as in {@code dev.mrkenvelope.internal} and the raw
 * keyrings) are served by ACCP there, so that run really exercises native crypto.
 */
class NativeProviderActiveTest {
  private static final String ACCP = "AmazonCorrettoCryptoProvider";

  @Test
  void nativeProviderRun_servesTheFormatsAlgorithms() throws Exception {
    assertThat(NativeProviderCondition.requested()).isTrue();
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Mac.getInstance("HmacSHA512").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Mac.getInstance("HmacSHA384").getProvider().getName()).isEqualTo(ACCP);
    assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName()).isEqualTo(ACCP);
    assertThat(KeyFactory.getInstance("EC").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Signature.getInstance("SHA384withECDSA").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(ACCP);
    assertThat(Cipher.getInstance("RSA/ECB/OAEPPadding").getProvider().getName()).isEqualTo(ACCP);
  }
}
