package dev.mrkenvelope.cli;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.CachingMaterialsManager;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.MaterialsManager;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --cache} option: {@code max-age=5m,max-messages=1000[,max-bytes=1g][,capacity=N]}, or
 * {@code none}. {@code max-age} is required, as in {@link CachingMaterialsManager}.
 */
record CacheSpec(Duration maxAge, long maxMessages, long maxBytes, int capacity) {
  static final CacheSpec NONE = new CacheSpec(Duration.ZERO, 0, 0, 0);

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]i?b?|b)?");

  boolean enabled() {
    return !maxAge.isZero();
  }

  /** The keyring, behind a caching manager if enabled. */
  MaterialsManager materialsManager(Keyring keyring) {
    if (!enabled()) {
      return DefaultMaterialsManager.create(keyring);
    }
    CachingMaterialsManager.Builder b =
        CachingMaterialsManager.builder().keyring(keyring).maxAge(maxAge);
    if (maxMessages > 0) {
      b.maxMessagesPerKey(maxMessages);
    }
    if (maxBytes > 0) {
      b.maxBytesPerKey(maxBytes);
    }
    if (capacity > 0) {
      b.capacity(capacity);
    }
    return b.build();
  }

  /** Parses the option value; the message of the exception names the fix. */
  static CacheSpec parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("none") || s.equals("off")) {
      return NONE;
    }
    Duration maxAge = null;
    long maxMessages = 0;
    long maxBytes = 0;
    int capacity = 0;
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw bad(spec, "'" + part + "' is not name=value");
      }
      String name = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      switch (name) {
        case "max-age" -> maxAge = duration(spec, value);
        case "max-messages" -> maxMessages = positive(spec, name, value);
        case "max-bytes" -> maxBytes = size(spec, value);
        case "capacity" ->
            capacity = (int) Math.min(Integer.MAX_VALUE, positive(spec, name, value));
        default -> throw bad(spec, "unknown setting '" + name + "'");
      }
    }
    if (maxAge == null) {
      throw bad(spec, "max-age is required");
    }
    return new CacheSpec(maxAge, maxMessages, maxBytes, capacity);
  }

  private static Duration duration(String spec, String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw bad(spec, "max-age '" + value + "' is not a duration like 500ms, 30s, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero()) {
      throw bad(spec, "max-age must be positive");
    }
    return d;
  }

  private static long size(String spec, String value) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw bad(spec, "max-bytes '" + value + "' is not a size like 1048576, 512k or 1g");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
    int shift =
        switch (unit) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
      throw bad(spec, "max-bytes must be positive and below 2^63");
    }
    return n << shift;
  }

  private static long positive(String spec, String name, String value) {
    try {
      long n = Long.parseLong(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad(spec, name + " must be a positive whole number: '" + value + "'");
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException(
        "--cache '"
            + spec
            + "': "
            + why
            + " (expected e.g. max-age=5m,max-messages=1000[,max-bytes=1g], or none)");
  }
}
