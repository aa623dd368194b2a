package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One Region's HTTP endpoint: a JDK {@link HttpServer} on its own loopback port, the awsJson1.1
 * framing around {@link KmsService}, the Region's {@link FaultPlan} and its request counters.
 *
 * <p>No request ever parks a worker thread: a blackholed exchange is merely kept (unanswered)
 * until heal or close, and latency is a timer that hands the request back to the pool, so a small
 * fixed pool serves any number of hung or slow connections.
 *
 * <p>Thread-safe. Lifecycle methods are synchronized; the request path is lock-free.
 */
public final class RegionServer implements HttpHandler {
  private static final String TARGET_PREFIX = "TrentService.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private final String region;
  private final KmsService service;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final InetAddress host;
  private final FaultPlan faults = new FaultPlan();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<HttpExchange, String> held = new ConcurrentHashMap<>();
  private final long idHigh;
  private final AtomicLong requestIds = new AtomicLong();
  private int port;
  private HttpServer server;
  private boolean outage;
  private boolean closed;

  public RegionServer(
      String region,
      KmsService service,
      ExecutorService workers,
      ScheduledExecutorService timer,
      InetAddress host,
      int port) {
    this.region = region;
    this.service = service;
    this.workers = workers;
    this.timer = timer;
    this.host = host;
    this.port = port;
    this.idHigh = UUID.randomUUID().getMostSignificantBits();
  }

  public FaultPlan faults() {
    return faults;
  }

  /** Binds the port (the same one again after an outage) and starts serving. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException(
          "the LocalKms serving " + region + " is closed; start a new one with LocalKms.builder()");
    }
    if (server != null) {
      return;
    }
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 1024);
      s.createContext("/", this);
      s.setExecutor(workers);
      s.start();
      server = s;
      port = s.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "kms-local cannot bind "
              + host.getHostAddress()
              + ":"
              + port
              + " for "
              + region
              + "; choose a free port (e.g. another portBase) or use ephemeral ports",
          e);
    }
  }

  /** Closes the listening socket and every connection, and answers nothing held. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    releaseHeld(true);
  }

  /** Stops for good: later heals do not rebind. */
  public synchronized void close() {
    closed = true;
    stop();
  }

  public synchronized void outage() {
    outage = true;
    stop();
  }

  /** Heals every fault of the Region, rebinding the same port after an outage. */
  public synchronized void heal() {
    faults.heal(null);
    releaseHeld(true);
    if (outage) {
      outage = false;
      start();
    }
  }

  /** Heals one operation's faults; held exchanges of other operations stay held. */
  public void heal(String operation) {
    faults.heal(operation);
    releaseHeld(false);
  }

  /**
   * Drops blackholed connections (all, or those whose operation is no longer blackholed): the
   * client sees the connection close without a response.
   */
  private void releaseHeld(boolean all) {
    for (Map.Entry<HttpExchange, String> e : held.entrySet()) {
      String op = e.getValue().isEmpty() ? null : e.getValue();
      if ((all || !faults.effective(op).blackhole()) && held.remove(e.getKey()) != null) {
        e.getKey().close();
      }
    }
  }

  public synchronized URI endpoint() {
    return URI.create("http://" + host.getHostAddress() + ":" + port);
  }

  public long requestCount(String operation) {
    LongAdder a = counts.get(operation);
    return a == null ? 0 : a.sum();
  }

  public long requestCount() {
    long total = 0;
    for (LongAdder a : counts.values()) {
      total += a.sum();
    }
    return total;
  }

  public Map<String, Long> requestCounts() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public void resetCounts() {
    counts.clear();
  }

  @Override
  public void handle(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String op =
        target != null && target.startsWith(TARGET_PREFIX)
            ? target.substring(TARGET_PREFIX.length())
            : null;
    // Counted before any fault so tests can assert how often a faulted Region was tried.
    String counted = op != null && KmsService.OPERATIONS.contains(op) ? op : "Unknown";
    counts.computeIfAbsent(counted, k -> new LongAdder()).increment();
    FaultPlan.Settings f = faults.effective(op);
    if (f.blackhole()) {
      held.put(exchange, op == null ? "" : op);
      // A heal racing with this request may have missed it; release it ourselves then.
      if (!faults.effective(op).blackhole() && held.remove(exchange) != null) {
        exchange.close();
      }
      return;
    }
    long delay = f.delayMillis();
    if (delay > 0) {
      timer.schedule(() -> workers.execute(() -> respond(exchange, op, f)), delay, TimeUnit.MILLISECONDS);
    } else {
      respond(exchange, op, f);
    }
  }

  private void respond(HttpExchange exchange, String op, FaultPlan.Settings f) {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] out;
      try {
        out = process(exchange, op, f, body);
      } catch (KmsError e) {
        sendError(exchange, e);
        return;
      } catch (RuntimeException e) {
        sendError(
            exchange,
            KmsError.of("KMSInternalException", "kms-local failed unexpectedly: " + e));
        return;
      }
      send(exchange, 200, out, null);
    } catch (IOException e) {
      // The client went away (e.g. its attempt timed out); nothing to answer.
    } finally {
      exchange.close();
    }
  }

  private byte[] process(HttpExchange exchange, String op, FaultPlan.Settings f, byte[] body)
      throws IOException {
    KmsError injected = f.drawError();
    if (injected != null) {
      throw injected;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      throw KmsError.of(
          "UnknownOperationException", "KMS accepts only POST; got " + exchange.getRequestMethod());
    }
    // Real KMS rejects unsigned requests; kms-local checks the header exists but not the signature.
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw KmsError.of(
          "MissingAuthenticationTokenException",
          "Request is missing Authentication Token; configure any static credentials on the client.");
    }
    if (op == null) {
      throw KmsError.of(
          "UnknownOperationException",
          "X-Amz-Target must be TrentService.<Operation>; got "
              + exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null && !contentType.contains("json")) {
      throw KmsError.of(
          "SerializationException",
          "Content-Type must be " + CONTENT_TYPE + "; got " + contentType);
    }
    ObjectNode result = service.handle(region, op, JsonRequest.parse(body));
    return result.isEmpty() ? EMPTY_OBJECT : JsonRequest.MAPPER.writeValueAsBytes(result);
  }

  private void sendError(HttpExchange exchange, KmsError e) throws IOException {
    ObjectNode body = JsonRequest.MAPPER.createObjectNode().put("__type", e.code());
    if (e.getMessage() != null) {
      body.put("message", e.getMessage());
    }
    send(exchange, e.status(), JsonRequest.MAPPER.writeValueAsBytes(body), e.code());
  }

  private void send(HttpExchange exchange, int status, byte[] body, String errorType)
      throws IOException {
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", CONTENT_TYPE);
    h.set("x-amzn-RequestId", new UUID(idHigh, requestIds.incrementAndGet()).toString());
    if (errorType != null) {
      h.set("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }
}
