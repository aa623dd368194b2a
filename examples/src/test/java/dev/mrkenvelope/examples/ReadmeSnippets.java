package dev.mrkenvelope.examples;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.aws.MrkSigner;
import dev.mrkenvelope.aws.admin.AuditReport;
import dev.mrkenvelope.aws.admin.CostEstimate;
import dev.mrkenvelope.aws.admin.DrillReport;
import dev.mrkenvelope.aws.admin.KeySetSpec;
import dev.mrkenvelope.aws.admin.KmsPrices;
import dev.mrkenvelope.aws.admin.MrkAdmin;
import dev.mrkenvelope.jose.MrkJwsSigner;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.MaterialsManager;
import dev.mrkenvelope.materials.RequiredEncryptionContextMaterialsManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The README's Java blocks that are not runnable scenarios of their own, compiled here so that a
 * renamed method or type breaks the build; {@code ReadmeSnippetsTest} checks that the README shows
 * exactly the text between the markers.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static Object signing(KmsRouter router, byte[] message) {
    // snippet-start signing
    MrkSigner signer =
        MrkSigner.builder()
            .keyArn(
                "arn:aws:kms:us-east-1:111122223333:key/mrk-…") // KeySpec ECC_NIST_P384, KeyUsage
            // SIGN_VERIFY
            .router(router)
            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)
            .build(); // one GetPublicKey, checked against a second replica
    byte[] sig = signer.sign(message); // the key's own region first, then the router's order
    boolean ok = signer.verify(message, sig); // local JCA: no KMS request, no quota
    PublicKey pk = signer.publicKey(); // cached for the signer's life
    // snippet-end signing
    return new Object[] {sig, ok, pk};
  }

  static JWKSet jose(MrkSigner signer, JWTClaimsSet claims) throws Exception {
    // snippet-start jose
    MrkJwsSigner jws = new MrkJwsSigner(signer);
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(jws.algorithm()).keyID(jws.keyId()).build(), claims);
    jwt.sign(jws); // signed in the nearest healthy replica
    JWKSet jwks = new JWKSet(jws.publicJwk()); // publish; verifiers need no AWS access
    // snippet-end jose
    return jwks;
  }

  static byte[] requiredContext(Keyring keyring, byte[] data) {
    // snippet-start required-context
    MaterialsManager cmm =
        RequiredEncryptionContextMaterialsManager.builder()
            .keyring(keyring) // or .materialsManager(cache)
            .requiredEncryptionContextKeys(Set.of("tenant"))
            .build();
    EnvelopeClient client = EnvelopeClient.builder().materialsManager(cmm).build();
    byte[] ct = client.encrypt(data, Map.of("tenant", "acme", "purpose", "invoice")).ciphertext();
    byte[] pt =
        client.decrypt(ct, Map.of("tenant", "acme")).plaintext(); // without it: PolicyException
    // snippet-end required-context
    return pt;
  }

  static CostEstimate operate(KmsRouter router, String keyArn) throws Exception {
    // snippet-start operate
    KeySetSpec spec = KeySetSpec.fromJson(Files.readString(Path.of("keys/orders.json")));
    try (MrkAdmin admin =
        MrkAdmin.builder().router(router).build()) { // or .clients(Map<region, KmsClient>)
      admin.apply(
          admin.plan(spec)); // create, replicate, wait, policies, aliases, rotation; never deletes
      AuditReport audit = admin.audit(spec);
      System.out.println(
          audit.toTable()); // or audit.toJson(): kind, severity, region, expected, actual, fix
      DrillReport dr =
          admin.drill(keyArn, spec.regions()); // N x N: data key from A decrypts in B, per region
      if (!dr.ready()) throw new IllegalStateException(dr.toTable());
    }
    CostEstimate cost = CostEstimate.of(spec, 50 /* requests per second */, KmsPrices.defaults());
    // snippet-end operate
    return cost;
  }
}
