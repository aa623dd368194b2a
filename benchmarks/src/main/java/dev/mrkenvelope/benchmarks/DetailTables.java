package dev.mrkenvelope.benchmarks;

import static dev.mrkenvelope.benchmarks.Cells.fmt;
import static dev.mrkenvelope.benchmarks.Cells.fmtErr;
import static dev.mrkenvelope.benchmarks.Cells.fmtLive;
import static dev.mrkenvelope.benchmarks.Cells.fmtX;

/** The report's detail tables: hot path, cached KMS, failover, streaming and signing. */
final class DetailTables {
  private static final double MB = 1_000_000.0;

  private final JmhResults results;
  private final Markdown md;

  DetailTables(JmhResults results, Markdown md) {
    this.results = results;
    this.md = md;
  }

  /** Writes every table, in the report's order. */
  void write() {
    hotPath();
    hotPathSteps();
    cachedKms();
    failover();
    streaming();
    signing();
  }

  private void hotPath() {
    md.line("## Hot path: encrypt + decrypt round trip, raw AES keyring, frame 4096 (ops/s)");
    md.line("");
    md.line(
        "| Size | Suite | Provider | mrk-envelope | ESDK-Java 3.0.2 | Floor | Floor with wrap |"
            + " mrk ÷ ESDK | mrk ÷ floor with wrap | CPU µs/op: mrk / ESDK / floor with wrap |"
            + " bytes allocated/op: mrk / ESDK / floor with wrap |");
    md.line("|---|---|---|---|---|---|---|---|---|---|---|");
    String mrk = "HotPathBenchmark.mrkEnvelope";
    String esdk = "HotPathBenchmark.esdk";
    String floor = "HotPathBenchmark.floor";
    String wrap = "HotPathBenchmark.floorWithWrap";
    for (String size : new String[] {"1024", "1048576"}) {
      for (String suite : new String[] {"0x0478", "0x0578"}) {
        for (String provider : new String[] {"JCA", "ACCP"}) {
          String[] k = {"size", size, "suite", suite, "provider", provider};
          md.row(
              (size.equals("1024") ? "1 KiB" : "1 MiB"),
              suite,
              provider,
              fmtErr(results.score(mrk, k), results.error(mrk, k)),
              fmtErr(results.score(esdk, k), results.error(esdk, k)),
              fmtErr(results.score(floor, k), results.error(floor, k)),
              fmtErr(results.score(wrap, k), results.error(wrap, k)),
              fmtX(results.score(mrk, k) / results.score(esdk, k)),
              fmtX(results.score(mrk, k) / results.score(wrap, k)),
              fmt(results.cpu(mrk, k))
                  + " / "
                  + fmt(results.cpu(esdk, k))
                  + " / "
                  + fmt(results.cpu(wrap, k)),
              fmt(results.allocated(mrk, k))
                  + " / "
                  + fmt(results.allocated(esdk, k))
                  + " / "
                  + fmt(results.allocated(wrap, k)));
        }
      }
    }
    md.line("");
    md.line(
        "Errors are JMH's 99.9% confidence half-widths. CPU µs/op: CPU time of the whole"
            + " benchmark JVM per operation. Bytes allocated per operation: JMH's `-prof gc`"
            + " (`gc.alloc.rate.norm`). ACCP rows: the Amazon Corretto Crypto Provider 2.5.0"
            + " installed at JCA position 1 in that fork, for every contender.");
    md.line("");
  }

  /** P1 taken apart: {@link HotPathSteps}, µs per operation, mrk-envelope beside the floor. */
  private void hotPathSteps() {
    md.line(
        "## P1 line by line: 1 KiB, 0x0478, JCA, each step on its own (µs/op, lower is better)");
    md.line("");
    md.line("| Step | mrk-envelope | Floor with wrap | mrk − floor |");
    md.line("|---|---|---|---|");
    String p = "HotPathSteps.";
    double enc = results.score(p + "mrkEncrypt");
    double encM = results.score(p + "mrkEncryptionMaterials");
    double dec = results.score(p + "mrkDecrypt");
    double decM = results.score(p + "mrkDecryptionMaterials");
    double seal = results.score(p + "floorSeal");
    double wrap = results.score(p + "floorWrap");
    double open = results.score(p + "floorOpen");
    double unwrap = results.score(p + "floorUnwrap");
    stepRow("Encrypt", enc, seal + wrap);
    stepRow("— materials: data key, keyring wrap (floor: the wrap)", encM, wrap);
    stepRow("— the message: derive, header, frame (floor: `seal`)", enc - encM, seal);
    stepRow("Decrypt", dec, open + unwrap);
    stepRow("— materials: keyring unwrap (floor: the unwrap)", decM, unwrap);
    stepRow("— the message: parse, derive, check, frame (floor: `open`)", dec - decM, open);
    stepRow("Round trip (sum)", enc + dec, seal + wrap + open + unwrap);
    md.line("");
    md.line(
        "Each step runs in its own fork (`HotPathSteps`); \"the message\" rows are the whole"
            + " operation minus its materials step. The floor serializes the encryption context"
            + " once, at set-up, and reads the header at fixed offsets; mrk-envelope serializes"
            + " the context for the header and for the keyring's AAD and parses the header field by"
            + " field, as any reader of the format must.");
    md.line("");
  }

  private void stepRow(String step, double mrk, double floor) {
    md.row(step, fmt(mrk), fmt(floor), fmt(mrk - floor));
  }

  private void cachedKms() {
    md.line(
        "## Cached KMS path: 1 KiB round trip, 0x0478, one thread, kms-local in-process (ops/s)");
    md.line("");
    md.line(
        "| CachingMaterialsManager over AwsKmsMrkKeyring | AwsKmsMrkKeyring, no cache |"
            + " Raw AES keyring, no cache | cached ÷ raw AES | cached ÷ uncached KMS |");
    md.line("|---|---|---|---|---|");
    double cached = results.score("CachedKmsBenchmark.cachedKms");
    double kms = results.score("CachedKmsBenchmark.uncachedKms");
    double raw = results.score("CachedKmsBenchmark.uncachedRawAes");
    md.row(
        fmtErr(cached, results.error("CachedKmsBenchmark.cachedKms")),
        fmtErr(kms, results.error("CachedKmsBenchmark.uncachedKms")),
        fmtErr(raw, results.error("CachedKmsBenchmark.uncachedRawAes")),
        fmtX(cached / raw),
        fmtX(cached / kms));
    md.line(
        "| CPU µs/op: "
            + fmt(results.cpu("CachedKmsBenchmark.cachedKms"))
            + " | "
            + fmt(results.cpu("CachedKmsBenchmark.uncachedKms"))
            + " (kms-local included) | "
            + fmt(results.cpu("CachedKmsBenchmark.uncachedRawAes"))
            + " | | |");
    md.line("");
  }

  private void failover() {
    md.line("## Failover: decrypt latency with the preferred Region blackholed (ms, SampleTime)");
    md.line("");
    md.line(
        "Regions `us-east-1` (preferred; blackholed: connections accepted, never answered) and"
            + " `eu-west-1`; 1 KiB, 0x0478, no cache, so every decrypt calls KMS. mrk-envelope:"
            + " `AwsKmsMrkDiscoveryKeyring` on a `KmsRouter` with `hedgeAfter("
            + FailoverBenchmark.HEDGE_AFTER.toMillis()
            + " ms)`, attempt timeout 1.5 s. ESDK-Java:"
            + " `CreateAwsKmsMrkDiscoveryMultiKeyring` with the same Region order and SDK-default"
            + " clients bounded by `apiCallTimeout("
            + FailoverBenchmark.ESDK_API_CALL_TIMEOUT.toSeconds()
            + " s)`. With the SDK's true defaults a decrypt waits the HTTP client's 30 s socket timeout"
            + " on each of the SDK's 4 attempts against the blackholed Region: "
            + (Double.isNaN(results.score("FailoverBenchmark.esdkBlackholedSdkDefaults"))
                ? "122 s for one decrypt when measured while writing this benchmark (not part of this"
                    + " run; `java -jar benchmarks/target/benchmarks.jar"
                    + " FailoverBenchmark.esdkBlackholedSdkDefaults` reproduces it in ~2.5 min)."
                : fmt(results.score("FailoverBenchmark.esdkBlackholedSdkDefaults"))
                    + " s for one decrypt in"
                    + " this run."));
    md.line("");
    md.line("| Benchmark | Samples | p50 | p90 | p99 | p99.9 | max |");
    md.line("|---|---|---|---|---|---|---|");
    String[][] rows = {
      {"mrkEnvelopeHealthy", "mrk-envelope, nothing blackholed (baseline)"},
      {"mrkEnvelopeHedgeOnly", "mrk-envelope, blackholed, hedging, breaker off"},
      {"mrkEnvelopeDefaults", "mrk-envelope, blackholed, hedging + default breaker"},
      {"esdkHealthy", "ESDK-Java, nothing blackholed"},
      {"esdkBlackholed", "ESDK-Java, blackholed"},
    };
    for (String[] r : rows) {
      String b = "FailoverBenchmark." + r[0];
      md.row(
          r[1],
          String.valueOf(results.samples(b)),
          fmt(results.percentile(b, "50.0")),
          fmt(results.percentile(b, "90.0")),
          fmt(results.percentile(b, "99.0")),
          fmt(results.percentile(b, "99.9")),
          fmt(results.percentile(b, "100.0")));
    }
    md.line("");
  }

  private void streaming() {
    md.line(
        "## Streaming: "
            + results.streamMiB()
            + " MiB decrypt through `decryptingStream`, JVM with"
            + " `-Xmx64m`");
    md.line("");
    md.line(
        "| Benchmark | Throughput (MB/s) | Peak heap (MiB) | Peak live heap after GC |"
            + " Max heap (MiB) |");
    md.line("|---|---|---|---|---|");
    String s = "StreamingBenchmark.decryptStream1GiB";
    String a = "StreamingBenchmark.decryptByteArray1MiB";
    md.line(
        "| "
            + results.streamMiB()
            + " MiB message, `decryptingStream` | "
            + fmt(results.streamMiB() * 1024 * 1024 / MB / results.score(s))
            + " | "
            + fmt(results.secondary(s, "·peak-heap"))
            + " | "
            + fmtLive(results.secondary(s, "·peak-live-heap"))
            + " | "
            + fmt(results.secondary(s, "·max-heap"))
            + " |");
    md.line(
        "| 1 MiB message, `decrypt(byte[])` | "
            + fmt(results.score(a) * (1 << 20) / MB)
            + " | "
            + fmt(results.secondary(a, "·peak-heap"))
            + " | "
            + fmtLive(results.secondary(a, "·peak-live-heap"))
            + " | "
            + fmt(results.secondary(a, "·max-heap"))
            + " |");
    md.line("");
    md.line(
        "Peak heap = sum of the heap pools' peak usage (includes garbage not yet collected, so it"
            + " mostly reflects how far G1 lets the young generation fill); peak live heap = the"
            + " largest heap in use right after a collection, JMH's own objects included. The message"
            + " is written once to a temporary file (page cache), so this measures decryption, not"
            + " the disk.");
    md.line("");
  }

  private void signing() {
    md.line(
        "## Signing: local verify vs KMS Verify, 1 KiB message, one thread, kms-local in-process"
            + " (ops/s)");
    md.line("");
    md.line(
        "| Algorithm | `MrkSigner.verify` (local JCA) | KMS `Verify` (SDK, loopback) | local ÷ KMS"
            + " | `MrkSigner.sign` (KMS `Sign`) | CPU µs/op: local / KMS Verify |");
    md.line("|---|---|---|---|---|---|");
    for (String a : new String[] {"ECDSA_SHA_256", "ECDSA_SHA_384", "RSASSA_PSS_SHA_256"}) {
      String[] p = {"algorithm", a};
      double local = results.score("SigningBenchmark.localVerify", p);
      double kms = results.score("SigningBenchmark.kmsVerify", p);
      md.row(
          a,
          fmtErr(local, results.error("SigningBenchmark.localVerify", p)),
          fmtErr(kms, results.error("SigningBenchmark.kmsVerify", p)),
          fmtX(local / kms),
          fmtErr(
              results.score("SigningBenchmark.sign", p), results.error("SigningBenchmark.sign", p)),
          fmt(results.cpu("SigningBenchmark.localVerify", p))
              + " / "
              + fmt(results.cpu("SigningBenchmark.kmsVerify", p)));
    }
    md.line("");
    md.line(
        "KMS `Verify` and `Sign` here include kms-local's own cryptography and an HTTP round trip"
            + " over loopback in the same JVM; against AWS KMS each also costs a network round trip"
            + " and request quota, which local verification does not.");
    md.line("");
  }

  // ---- helpers -----------------------------------------------------------------------------
}
