package dev.mrkenvelope.kmslocal.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses one HTTP/1.x request from the start of a buffer: request line, headers, and a body framed
 * by {@code Content-Length} or chunked encoding. Pure and thread-safe; never allocates more than
 * the limits allow, whatever the client wrote.
 */
final class HttpRequestParser {
  private HttpRequestParser() {}

  /**
   * The outcome for a buffer: a complete request (and how many bytes it used), an incomplete one
   * (with whether the client waits for {@code 100 Continue}), or a malformed one (with the status
   * to answer before closing).
   */
  record Result(
      boolean complete,
      boolean malformed,
      int status,
      String method,
      Map<String, String> headers,
      byte[] body,
      boolean keepAlive,
      int consumed,
      boolean expectsContinue) {

    static Result malformed(int status) {
      return new Result(false, true, status, null, Map.of(), null, false, 0, false);
    }

    static Result waiting(boolean expectsContinue) {
      return new Result(false, false, 0, null, Map.of(), null, false, 0, expectsContinue);
    }
  }

  /** Parses {@code buf[0, length)}; null while the head is still incomplete. */
  static Result parse(byte[] buf, int length, int maxHead, int maxBody) {
    int headEnd = indexOf(buf, 0, length, "\r\n\r\n");
    if (headEnd < 0) {
      return length > maxHead ? Result.malformed(431) : null;
    }
    if (headEnd > maxHead) {
      return Result.malformed(431);
    }
    String[] lines = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || requestLine[0].isEmpty()
        || !requestLine[2].startsWith("HTTP/1.")) {
      return Result.malformed(400);
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        return Result.malformed(400);
      }
      headers.putIfAbsent(
          lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
    }
    String connection = headers.getOrDefault("Connection", "");
    boolean keepAlive =
        requestLine[2].equals("HTTP/1.1")
            ? !connection.equalsIgnoreCase("close")
            : connection.equalsIgnoreCase("keep-alive");
    boolean expectsContinue = "100-continue".equalsIgnoreCase(headers.get("Expect"));
    int bodyStart = headEnd + 4;
    Map<String, String> view = Collections.unmodifiableMap(headers);
    String encoding = headers.get("Transfer-Encoding");
    if (encoding != null) {
      if (!encoding.equalsIgnoreCase("chunked")) {
        return Result.malformed(501);
      }
      return chunked(
          buf, bodyStart, length, maxBody, requestLine[0], view, keepAlive, expectsContinue);
    }
    String lengthHeader = headers.get("Content-Length");
    long contentLength = 0;
    if (lengthHeader != null) {
      try {
        contentLength = Long.parseLong(lengthHeader);
      } catch (NumberFormatException e) {
        return Result.malformed(400);
      }
      if (contentLength < 0) {
        return Result.malformed(400);
      }
      if (contentLength > maxBody) {
        return Result.malformed(413);
      }
    }
    if (length - bodyStart < contentLength) {
      return Result.waiting(expectsContinue);
    }
    int end = bodyStart + (int) contentLength;
    return new Result(
        true,
        false,
        0,
        requestLine[0],
        view,
        Arrays.copyOfRange(buf, bodyStart, end),
        keepAlive,
        end,
        false);
  }

  private static Result chunked(
      byte[] buf,
      int pos,
      int length,
      int maxBody,
      String method,
      Map<String, String> headers,
      boolean keepAlive,
      boolean expectsContinue) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int lineEnd = indexOf(buf, pos, length, "\r\n");
      if (lineEnd < 0) {
        return length - pos > 32 ? Result.malformed(400) : Result.waiting(expectsContinue);
      }
      String sizeText = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
      int semicolon = sizeText.indexOf(';');
      long size;
      try {
        size =
            Long.parseLong(
                (semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        return Result.malformed(400);
      }
      if (size < 0 || body.size() + size > maxBody) {
        return Result.malformed(413);
      }
      pos = lineEnd + 2;
      if (size == 0) {
        // Trailers (ignored) end with an empty line.
        int end = indexOf(buf, pos - 2, length, "\r\n\r\n");
        if (end < 0) {
          return Result.waiting(expectsContinue);
        }
        return new Result(
            true, false, 0, method, headers, body.toByteArray(), keepAlive, end + 4, false);
      }
      if (length - pos < size + 2) {
        return Result.waiting(expectsContinue);
      }
      body.write(buf, pos, (int) size);
      pos += (int) size;
      if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
        return Result.malformed(400);
      }
      pos += 2;
    }
  }

  private static int indexOf(byte[] buf, int from, int to, String ascii) {
    byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
