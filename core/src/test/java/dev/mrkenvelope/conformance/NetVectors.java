package dev.mrkenvelope.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.keyring.RawRsaKeyring;
import dev.mrkenvelope.keyring.RsaPadding;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads an ESDK .NET decrypt-manifest zip (manifest version 4: {@code cmm} and {@code
 * encryption-context} per test; TVF 0004/0005) into vectors with the keyring that decrypts them
 * offline, or none for AWS KMS vectors.
 */
final class NetVectors {
  static final String RAW_KEYS_PROVIDER_ID = "aws-raw-vectors-persistant";
  static final String AWS_CRYPTO_PUBLIC_KEY = "aws-crypto-public-key";

  /** What a vector's decryptable master keys are. */
  enum Kind {
    RAW_AES,
    RAW_RSA,
    AWS_KMS
  }

  /** One manifest test. {@code keyring} is null for {@link Kind#AWS_KMS}. */
  record Vector(
      String id,
      String ciphertextName,
      byte[] ciphertext,
      byte[] expectedPlaintext,
      String cmm,
      Map<String, String> encryptionContext,
      Kind kind,
      Keyring keyring) {

    /** The suite ID the file name starts with, e.g. {@code 0478-ec_len_2-...}. */
    int suiteIdFromName() {
      String file = ciphertextName.substring(ciphertextName.lastIndexOf('/') + 1);
      return Integer.parseInt(file.substring(0, 4), 16);
    }

    boolean requiredContextCmm() {
      return "RequiredEncryptionContext".equals(cmm);
    }

    String displayName() {
      return ciphertextName.substring(ciphertextName.lastIndexOf('/') + 1);
    }
  }

  /** A zip's manifest, keys and plaintexts. */
  record Manifest(String zipName, Map<String, byte[]> files, JsonNode manifest, JsonNode keys) {}

  private NetVectors() {}

  static Manifest open(String zipName) {
    Map<String, byte[]> files = EsdkVectors.readZip(zipName);
    JsonNode manifest = EsdkVectors.readJson(EsdkVectors.entry(files, "manifest.json"));
    String type = manifest.path("manifest").path("type").asText();
    int version = manifest.path("manifest").path("version").asInt();
    if (!"awses-decrypt".equals(type) || version != 4) {
      throw new IllegalStateException(
          zipName + ": expected an awses-decrypt manifest version 4, got " + type + " " + version);
    }
    JsonNode keys =
        EsdkVectors.readJson(EsdkVectors.entry(files, manifest.get("keys").asText())).get("keys");
    return new Manifest(zipName, files, manifest, keys);
  }

  static List<Vector> load(String zipName) {
    return load(open(zipName));
  }

  static List<Vector> load(Manifest m) {
    List<Vector> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.manifest().get("tests").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> test = it.next();
      JsonNode t = test.getValue();
      String ctName = t.get("ciphertext").asText();
      JsonNode plaintextUri = t.path("result").path("output").path("plaintext");
      byte[] plaintext =
          plaintextUri.isMissingNode() ? null : EsdkVectors.entry(m.files(), plaintextUri.asText());

      List<Keyring> keyrings = new ArrayList<>();
      boolean anyAes = false;
      boolean anyRsa = false;
      boolean anyKms = false;
      for (JsonNode mk : t.get("master-keys")) {
        String type = mk.get("type").asText();
        if ("aws-kms".equals(type)) {
          anyKms = true;
          continue;
        }
        if (!"raw".equals(type)) {
          throw new IllegalStateException(test.getKey() + ": unknown master-key type " + type);
        }
        String keyRef = mk.get("key").asText();
        JsonNode key = m.keys().get(keyRef);
        if (key == null) {
          throw new IllegalStateException(test.getKey() + ": keys.json has no key " + keyRef);
        }
        if (!key.path("decrypt").asBoolean(false)) {
          continue; // e.g. rsa-4096-public: can encrypt, cannot decrypt
        }
        String namespace = mk.get("provider-id").asText();
        String keyName = key.has("key-id") ? key.get("key-id").asText() : keyRef;
        String algorithm = mk.get("encryption-algorithm").asText();
        if ("aes".equals(algorithm)) {
          anyAes = true;
          keyrings.add(
              RawAesKeyring.builder()
                  .keyNamespace(namespace)
                  .keyName(keyName)
                  .wrappingKey(Base64.getDecoder().decode(EsdkVectors.material(key)))
                  .build());
        } else if ("rsa".equals(algorithm)) {
          anyRsa = true;
          keyrings.add(
              RawRsaKeyring.builder()
                  .keyNamespace(namespace)
                  .keyName(keyName)
                  .padding(padding(mk))
                  .privateKey(EsdkVectors.rsaPrivateKey(EsdkVectors.material(key)))
                  .build());
        } else {
          throw new IllegalStateException(test.getKey() + ": unknown algorithm " + algorithm);
        }
      }
      Kind kind;
      Keyring keyring;
      if (keyrings.isEmpty()) {
        if (!anyKms) {
          throw new IllegalStateException(test.getKey() + ": no decryptable master key");
        }
        kind = Kind.AWS_KMS;
        keyring = null;
      } else {
        if (anyAes && anyRsa) {
          throw new IllegalStateException(test.getKey() + ": mixed AES and RSA master keys");
        }
        kind = anyAes ? Kind.RAW_AES : Kind.RAW_RSA;
        keyring =
            keyrings.size() == 1
                ? keyrings.get(0)
                : MultiKeyring.builder()
                    .generator(keyrings.get(0))
                    .children(keyrings.subList(1, keyrings.size()))
                    .build();
      }
      out.add(
          new Vector(
              test.getKey(),
              ctName,
              EsdkVectors.entry(m.files(), ctName),
              plaintext,
              t.path("cmm").asText("Default"),
              EsdkVectors.stringMap(t.get("encryption-context")),
              kind,
              keyring));
    }
    return out;
  }

  /** Maps TVF 0005 {@code padding-algorithm}/{@code padding-hash} to {@link RsaPadding}. */
  static RsaPadding padding(JsonNode masterKey) {
    String algorithm = masterKey.path("padding-algorithm").asText();
    if ("pkcs1".equals(algorithm)) {
      return RsaPadding.PKCS1;
    }
    if (!"oaep-mgf1".equals(algorithm)) {
      throw new IllegalStateException("unknown RSA padding " + algorithm);
    }
    switch (masterKey.path("padding-hash").asText()) {
      case "sha1":
        return RsaPadding.OAEP_SHA1_MGF1;
      case "sha256":
        return RsaPadding.OAEP_SHA256_MGF1;
      case "sha384":
        return RsaPadding.OAEP_SHA384_MGF1;
      case "sha512":
        return RsaPadding.OAEP_SHA512_MGF1;
      default:
        throw new IllegalStateException(
            "unknown OAEP hash " + masterKey.path("padding-hash").asText());
    }
  }

  /** A client that reads every suite (v1 included), as a decrypt harness must. */
  static EnvelopeClient client(Keyring keyring) {
    return EnvelopeClient.builder()
        .keyring(keyring)
        .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
        .build();
  }

  /**
   * Decrypts as the manifest says: the Required-Encryption-Context CMM vectors get the manifest's
   * context as the reproduced context; Default CMM vectors are decrypted without one.
   */
  static DecryptResult decrypt(Vector v, Keyring keyring) {
    EnvelopeClient client = client(keyring);
    switch (v.cmm()) {
      case "RequiredEncryptionContext":
        return client.decrypt(v.ciphertext(), v.encryptionContext());
      case "Default":
        return client.decrypt(v.ciphertext());
      default:
        throw new IllegalStateException(v.id() + ": unknown cmm " + v.cmm());
    }
  }

  /** The context without {@code aws-crypto-public-key}, which signing suites add. */
  static Map<String, String> withoutPublicKey(Map<String, String> ec) {
    Map<String, String> out = new LinkedHashMap<>(ec);
    out.remove(AWS_CRYPTO_PUBLIC_KEY);
    return out;
  }
}
