package dev.mrkenvelope.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the ESDK conformance vectors vendored under {@code src/test/resources/vectors/esdk/} (see
 * the README there for provenance and licence) from the test class path; zips are read entry by
 * entry with {@link ZipInputStream}.
 */
final class EsdkVectors {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "/vectors/esdk/";

  private EsdkVectors() {}

  /** A vendored vector file as a stream; fails naming the resource when it is missing. */
  private static InputStream open(String name) {
    InputStream in = EsdkVectors.class.getResourceAsStream(ROOT + name);
    if (in == null) {
      throw new IllegalStateException(
          "test resource " + ROOT + name + " is missing from core/src/test/resources");
    }
    return in;
  }

  /** Every file entry of a vector zip, by name. */
  static Map<String, byte[]> readZip(String zipName) {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(open(zipName))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (!e.isDirectory()) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + zipName, e);
    }
    return entries;
  }

  static JsonNode readJson(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJsonFile(String name) {
    try (InputStream in = open(name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** Resolves a manifest URI such as {@code file://ciphertexts/x} against the zip's entries. */
  static byte[] entry(Map<String, byte[]> zip, String uri) {
    String name = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
    byte[] b = zip.get(name);
    if (b == null) {
      throw new IllegalStateException("the zip has no entry '" + name + "' (from " + uri + ")");
    }
    return b;
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && !node.isNull()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  /** A key's material: v3 manifests store a string, v1 an array of lines. */
  static String material(JsonNode key) {
    JsonNode m = key.get("material");
    if (m.isArray()) {
      String sep = key.has("line-separator") ? key.get("line-separator").asText() : "\n";
      StringBuilder sb = new StringBuilder();
      for (JsonNode line : m) {
        if (sb.length() > 0) {
          sb.append(sep);
        }
        sb.append(line.asText());
      }
      return sb.toString();
    }
    return m.asText();
  }

  static byte[] pemBody(String pem) {
    StringBuilder b64 = new StringBuilder();
    for (String line : pem.split("\\r?\\n")) {
      if (!line.startsWith("-----") && !line.isBlank()) {
        b64.append(line.trim());
      }
    }
    return Base64.getDecoder().decode(b64.toString());
  }

  static PrivateKey rsaPrivateKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad RSA private key PEM", e);
    }
  }

  static PublicKey rsaPublicKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pemBody(pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bad RSA public key PEM", e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
