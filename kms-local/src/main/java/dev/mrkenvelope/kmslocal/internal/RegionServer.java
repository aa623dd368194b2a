package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
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
 * One Region's HTTP endpoint: an {@link HttpListener} on its own loopback port, the awsJson1.1
 * framing around {@link KmsService}, the Region's {@link FaultPlan} and its request counters.
 *
 * <p>No request ever parks a worker thread: a blackholed call is merely kept (unanswered) until
 * heal, close or the client going away, and latency is a timer that hands the request back to the
 * pool, so a small fixed pool serves any number of hung or slow connections.
 *
 * <p>Thread-safe. Lifecycle methods are synchronized; the request path is lock-free.
 */
public final class RegionServer {
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
  private final Map<HttpCall, String> held = new ConcurrentHashMap<>();
  private final long idHigh;
  private final AtomicLong requestIds = new AtomicLong();
  private int port;
  private HttpListener server;
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

  /** Whether kms-local implements {@code operation}, e.g. {@code Decrypt}. */
  public boolean supports(String operation) {
    return service.supports(operation);
  }

  /** Every operation kms-local implements, sorted. */
  public java.util.Set<String> operations() {
    return service.operations();
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
      server =
          new HttpListener(
              new InetSocketAddress(host, port), this::handle, workers, "kms-local-" + region);
      port = server.port();
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
      server.stop();
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
    for (Map.Entry<HttpCall, String> e : held.entrySet()) {
      String op = e.getValue().isEmpty() ? null : e.getValue();
      if ((all || !faults.effective(op).blackhole()) && held.remove(e.getKey()) != null) {
        e.getKey().drop();
      }
    }
  }

  /** Blackholed requests still held: those whose clients have neither given up nor been healed. */
  public int heldRequests() {
    return held.size();
  }

  /** Connections the Region's server has open (idle, in flight or blackholed). */
  public synchronized int openConnections() {
    return server == null ? 0 : server.openConnections();
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

  private void handle(HttpCall call) {
    String target = call.header("X-Amz-Target");
    String op =
        target != null && target.startsWith(TARGET_PREFIX)
            ? target.substring(TARGET_PREFIX.length())
            : null;
    // Counted before any fault so tests can assert how often a faulted Region was tried.
    String counted = op != null && service.supports(op) ? op : "Unknown";
    counts.computeIfAbsent(counted, k -> new LongAdder()).increment();
    FaultPlan.Settings f = faults.effective(op);
    if (f.blackhole()) {
      held.put(call, op == null ? "" : op);
      // Released when the client closes the connection, so abandoned requests hold no socket.
      call.onClose(() -> held.remove(call));
      // A heal racing with this request may have missed it; release it ourselves then.
      if (!faults.effective(op).blackhole() && held.remove(call) != null) {
        call.drop();
      }
      return;
    }
    long delay = f.delayMillis();
    if (delay > 0) {
      timer.schedule(
          () -> workers.execute(() -> respond(call, op, f)), delay, TimeUnit.MILLISECONDS);
    } else {
      respond(call, op, f);
    }
  }

  private void respond(HttpCall call, String op, FaultPlan.Settings f) {
    try {
      send(call, 200, process(call, op, f), null);
    } catch (KmsError e) {
      sendError(call, e);
    } catch (RuntimeException | IOException e) {
      sendError(call, KmsError.of("KMSInternalException", "kms-local failed unexpectedly: " + e));
    }
  }

  private byte[] process(HttpCall call, String op, FaultPlan.Settings f) throws IOException {
    KmsError injected = f.drawError();
    if (injected != null) {
      throw injected;
    }
    if (!"POST".equals(call.method())) {
      throw KmsError.of("UnknownOperationException", "KMS accepts only POST; got " + call.method());
    }
    // Real KMS rejects unsigned requests; kms-local checks the header exists but not the signature.
    if (call.header("Authorization") == null) {
      throw KmsError.of(
          "MissingAuthenticationTokenException",
          "Request is missing Authentication Token; configure any static credentials on the client.");
    }
    if (op == null) {
      throw KmsError.of(
          "UnknownOperationException",
          "X-Amz-Target must be TrentService.<Operation>; got " + call.header("X-Amz-Target"));
    }
    String contentType = call.header("Content-Type");
    if (contentType != null && !contentType.contains("json")) {
      throw KmsError.of(
          "SerializationException",
          "Content-Type must be " + CONTENT_TYPE + "; got " + contentType);
    }
    ObjectNode result = service.handle(region, op, JsonRequest.parse(call.body()));
    return result.isEmpty() ? EMPTY_OBJECT : JsonRequest.MAPPER.writeValueAsBytes(result);
  }

  private void sendError(HttpCall call, KmsError e) {
    ObjectNode body = JsonRequest.MAPPER.createObjectNode().put("__type", e.code());
    if (e.getMessage() != null) {
      body.put("message", e.getMessage());
    }
    try {
      send(call, e.status(), JsonRequest.MAPPER.writeValueAsBytes(body), e.code());
    } catch (JsonProcessingException impossible) {
      call.drop();
    }
  }

  private void send(HttpCall call, int status, byte[] body, String errorType) {
    Map<String, String> h = new LinkedHashMap<>(4);
    h.put("Content-Type", CONTENT_TYPE);
    h.put("x-amzn-RequestId", new UUID(idHigh, requestIds.incrementAndGet()).toString());
    if (errorType != null) {
      h.put("x-amzn-ErrorType", errorType);
    }
    call.respond(status, h, body);
  }
}
