package dev.mrkenvelope.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --cache}; a bad value is a usage error (exit 2). */
final class CacheSpecConverter implements ITypeConverter<CacheSpec> {
  @Override
  public CacheSpec convert(String value) {
    try {
      return CacheSpec.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
