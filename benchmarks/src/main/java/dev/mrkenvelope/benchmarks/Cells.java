package dev.mrkenvelope.benchmarks;

import java.util.Locale;

/** How the report writes a number, a ratio, a measured value with its error, and PASS/MISS. */
final class Cells {
  private Cells() {}

  static String atLeast(double v, double min) {
    return Double.isNaN(v) ? "NOT RUN" : v >= min ? "PASS" : "MISS";
  }

  static String atMost(double v, double max) {
    return Double.isNaN(v) || Double.isNaN(max) ? "NOT RUN" : v <= max ? "PASS" : "MISS";
  }

  static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** A whole count, e.g. of garbage collections; "n/a" if not measured. */
  static String fmtCount(double n) {
    return Double.isNaN(n) ? "n/a" : String.format(Locale.ROOT, "%.0f", n);
  }

  static String fmtLive(double mib) {
    return mib == 0 ? "no GC ran" : fmt(mib) + " MiB";
  }

  static String fmtX(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f×", v);
  }

  static String fmtErr(double v, double err) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Double.isNaN(err) ? fmt(v) : fmt(v) + " ± " + fmt(err);
  }
}
