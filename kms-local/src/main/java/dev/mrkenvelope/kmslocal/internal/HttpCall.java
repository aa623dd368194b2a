package dev.mrkenvelope.kmslocal.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request received by an {@link HttpListener}, answered at most once from any thread, or
 * dropped, or left unanswered until the client goes away ({@link #onClose}).
 *
 * <p>Thread-safe.
 */
final class HttpCall {
  private final HttpListener.Connection connection;
  private final String method;
  private final Map<String, String> headers;
  private final byte[] body;
  private final boolean keepAlive;
  private final AtomicBoolean answered = new AtomicBoolean();
  private Runnable onClose; // guarded by this
  private boolean closed; // guarded by this

  HttpCall(
      HttpListener.Connection connection,
      String method,
      Map<String, String> headers,
      byte[] body,
      boolean keepAlive) {
    this.connection = connection;
    this.method = method;
    this.headers = headers;
    this.body = body;
    this.keepAlive = keepAlive;
  }

  String method() {
    return method;
  }

  /** A request header's first value, by case-insensitive name; null when absent. */
  String header(String name) {
    return headers.get(name);
  }

  byte[] body() {
    return body;
  }

  /** Sends the response (with Content-Length and Date added); later calls do nothing. */
  void respond(int status, Map<String, String> responseHeaders, byte[] responseBody) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    StringBuilder head = new StringBuilder(256);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    responseHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    head.append("Content-Length: ").append(responseBody.length).append("\r\n");
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + responseBody.length);
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(responseBody);
    connection.answer(this, out.toByteArray(), keepAlive);
  }

  /** Closes the connection without an answer, as a network that loses the request would. */
  void drop() {
    if (answered.compareAndSet(false, true)) {
      connection.drop();
    }
  }

  /**
   * Runs {@code action} once the connection closes before an answer (the client went away, or the
   * listener stopped); at once if that already happened.
   */
  void onClose(Runnable action) {
    boolean runNow;
    synchronized (this) {
      onClose = action;
      runNow = closed;
    }
    if (runNow) {
      action.run();
    }
  }

  /** Called by the listener when the connection closes with this call unanswered. */
  void closed() {
    Runnable action;
    synchronized (this) {
      closed = true;
      action = onClose;
    }
    if (action != null) {
      action.run();
    }
  }

  /** A bare error response for requests that cannot be parsed; the connection closes after it. */
  static byte[] errorResponse(int status) {
    return ("HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 413:
        return "Payload Too Large";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 501:
        return "Not Implemented";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      default:
        return "Status " + status;
    }
  }
}
