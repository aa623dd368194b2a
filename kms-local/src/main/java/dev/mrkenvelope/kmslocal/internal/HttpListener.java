package dev.mrkenvelope.kmslocal.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on one NIO selector thread: keep-alive, {@code Content-Length} and
 * chunked request bodies, {@code Expect: 100-continue}. Requests are handed to a worker pool as
 * {@link HttpCall}s, which any thread may answer later, or never.
 *
 * <p>Why not the JDK's {@code HttpServer}: it stops watching a connection once a request is handed
 * out, so a request that is never answered (a blackhole) keeps its socket open after the client has
 * gone — thousands in CLOSE_WAIT after a hedging client gave up on them. This server keeps reading
 * every connection, so a client closing it is seen at once: the connection is closed and the
 * unanswered call told ({@link HttpCall#onClose}).
 *
 * <p>Thread-safe. The selector thread owns the connections; other threads only enqueue answers.
 */
final class HttpListener {
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_BODY = 1024 * 1024;
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Receives each complete request on a worker thread. */
  interface Handler {
    void handle(HttpCall call);
  }

  private final Handler handler;
  private final Executor workers;
  private final Selector selector;
  private final ServerSocketChannel server;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<Connection> connections = new HashSet<>(); // selector thread only
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean running = true;

  /** Binds {@code address} and starts serving; the port is taken when this returns. */
  HttpListener(InetSocketAddress address, Handler handler, Executor workers, String threadName)
      throws IOException {
    this.handler = handler;
    this.workers = workers;
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // rebind the port after an outage
      server.bind(address, 1024);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
  }

  /** Connections open now: idle keep-alive ones, requests being served and unanswered ones. */
  int openConnections() {
    return open.get();
  }

  /**
   * Closes the listening socket and every connection (their unanswered calls are told), and returns
   * once the port is free.
   */
  void stop() {
    running = false;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code task} on the selector thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void run() {
    try {
      while (running) {
        selector.select();
        for (Runnable t; (t = tasks.poll()) != null; ) {
          t.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else {
            Connection c = (Connection) key.attachment();
            if (key.isReadable()) {
              c.read();
            }
            if (key.isValid() && key.isWritable()) {
              c.flush();
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      // The selector itself failed: nothing can be served any more; close everything below.
    } finally {
      for (Connection c : Set.copyOf(connections)) {
        c.close();
      }
      closeQuietly(server);
      closeQuietly(selector);
    }
  }

  private void accept() throws IOException {
    for (SocketChannel ch; (ch = server.accept()) != null; ) {
      ch.configureBlocking(false);
      // Responses go out in one write; Nagle would hold them for the client's delayed ACK.
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection c = new Connection(ch);
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      connections.add(c);
      open.incrementAndGet();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** One client connection; every method runs on the selector thread. */
  final class Connection {
    private final SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer in = ByteBuffer.allocate(8192);
    private ByteBuffer out;
    private HttpCall current;
    private boolean continueSent;
    private boolean closeAfterWrite;
    private boolean closed;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void read() {
      int n;
      try {
        if (!in.hasRemaining()) {
          if (in.capacity() >= MAX_HEAD + MAX_BODY) {
            close(); // a request larger than any KMS request; never buffer without bound
            return;
          }
          in = ByteBuffer.allocate(Math.min(in.capacity() * 2, MAX_HEAD + MAX_BODY)).put(in.flip());
        }
        n = channel.read(in);
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        close(); // the client went away: release whatever it left unanswered
        return;
      }
      if (current == null) {
        parse();
      }
    }

    /** Starts the next request if a complete one is buffered. */
    private void parse() {
      HttpRequestParser.Result r =
          HttpRequestParser.parse(in.array(), in.position(), MAX_HEAD, MAX_BODY);
      if (r == null) {
        return;
      }
      if (r.malformed()) {
        closeAfterWrite = true;
        send(HttpCall.errorResponse(r.status()));
        return;
      }
      if (!r.complete()) {
        if (r.expectsContinue() && !continueSent) {
          continueSent = true;
          send(CONTINUE);
        }
        return;
      }
      // Drop the consumed bytes; whatever follows is the client's next request.
      in.flip().position(r.consumed());
      in.compact();
      continueSent = false;
      HttpCall call = new HttpCall(this, r.method(), r.headers(), r.body(), r.keepAlive());
      current = call;
      try {
        workers.execute(() -> handler.handle(call));
      } catch (RejectedExecutionException e) {
        close(); // shutting down
      }
    }

    /** Queues an answer from any thread; ignored once the connection is closed. */
    void answer(HttpCall call, byte[] response, boolean keepAlive) {
      execute(
          () -> {
            if (closed || current != call) {
              return;
            }
            current = null;
            closeAfterWrite |= !keepAlive;
            send(response);
          });
    }

    /** Closes the connection from any thread, e.g. to drop a blackholed request. */
    void drop() {
      execute(this::close);
    }

    private void send(byte[] bytes) {
      if (out != null && out.hasRemaining()) {
        ByteBuffer joined = ByteBuffer.allocate(out.remaining() + bytes.length).put(out).put(bytes);
        out = joined.flip();
      } else {
        out = ByteBuffer.wrap(bytes);
      }
      flush();
    }

    void flush() {
      try {
        channel.write(out);
      } catch (IOException e) {
        close();
        return;
      }
      if (out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return;
      }
      key.interestOps(SelectionKey.OP_READ);
      if (current == null) {
        if (closeAfterWrite) {
          close();
        } else {
          parse(); // a pipelined request may already be buffered
        }
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      connections.remove(this);
      open.decrementAndGet();
      key.cancel();
      closeQuietly(channel);
      HttpCall unanswered = current;
      current = null;
      if (unanswered != null) {
        unanswered.closed();
      }
    }
  }
}
