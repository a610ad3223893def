package io.zdl.test.s3;

import io.zdl.test.process.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loopback HTTP forwarder in front of an S3 API server, one request per connection (it asks both
 * sides for {@code Connection: close}), bytes passed through otherwise untouched; an {@link #outage}
 * switch makes the store unreachable for a while. Three modes:
 * <ul>
 *   <li>{@link Mode#ATOMIC_CONDITIONAL_PUTS}: conditional PUTs ({@code If-None-Match}) pass one at a time.
 *   s3proxy checks the condition with a HEAD and then PUTs (its source says "non-atomic"), so two racing
 *   conditional PUTs of one key can both succeed there; AWS S3 decides them atomically. Serialising them
 *   here gives the tests S3's semantics.</li>
 *   <li>{@link Mode#DROP_IF_NONE_MATCH}: removes the header, like an endpoint that ignores it. The header is
 *   part of the SigV4 signature, so put this in front of a server started without authorization.</li>
 *   <li>{@link Mode#CONFLICT_409}: answers the next {@link #injectConflicts(int) n} conditional PUTs itself with
 *   S3's 409 ConditionalRequestConflict (another conditional write to the key in flight), then forwards
 *   like {@code ATOMIC_CONDITIONAL_PUTS}.</li>
 * </ul>
 */
public final class S3Forwarder implements AutoCloseable {
  public enum Mode { ATOMIC_CONDITIONAL_PUTS, DROP_IF_NONE_MATCH, CONFLICT_409 }

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int SOCKET_TIMEOUT_MS = 60_000;

  private final int upstreamPort;
  private final Mode mode;
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "s3-forwarder");
    t.setDaemon(true);
    return t;
  });
  private final ReentrantLock conditionalPuts = new ReentrantLock(true);
  private final AtomicInteger conditionalPutsSeen = new AtomicInteger();
  private final AtomicInteger conflictsToInject = new AtomicInteger();
  private final AtomicInteger conflictsInjected = new AtomicInteger();
  private volatile boolean closed;
  private volatile boolean outage;

  private S3Forwarder(int upstreamPort, Mode mode) throws IOException {
    this.upstreamPort = upstreamPort;
    this.mode = mode;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(ChildJvm.LOOPBACK), 0));
    pool.execute(this::acceptLoop);
  }

  /** Forwards to {@code upstreamEndpoint} ({@code http://127.0.0.1:PORT}). */
  public static S3Forwarder start(String upstreamEndpoint, Mode mode) {
    String prefix = "http://" + ChildJvm.LOOPBACK + ":";
    if (!upstreamEndpoint.startsWith(prefix)) {
      throw new IllegalArgumentException("loopback http endpoints only: " + upstreamEndpoint);
    }
    try {
      return new S3Forwarder(Integer.parseInt(upstreamEndpoint.substring(prefix.length())), mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT} of the forwarder. */
  public String endpoint() {
    return "http://" + ChildJvm.LOOPBACK + ":" + server.getLocalPort();
  }

  /** Requests that carried If-None-Match (forwarded or stripped, by mode). */
  public int conditionalPutsSeen() {
    return conditionalPutsSeen.get();
  }

  /** In {@link Mode#CONFLICT_409}: the next {@code n} conditional PUTs get 409 (replaces any count left). */
  public void injectConflicts(int n) {
    conflictsToInject.set(n);
  }

  /**
   * While {@code on}, every request's connection is closed before any answer, as by a store that went
   * away; requests already forwarded finish.
   */
  public void outage(boolean on) {
    outage = on;
  }

  /** 409 answers given so far. */
  public int conflictsInjected() {
    return conflictsInjected.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        pool.execute(() -> handle(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("[s3-forwarder] accept failed: " + e);
        }
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (Socket c = client) {
      if (outage) {
        return;
      }
      c.setSoTimeout(SOCKET_TIMEOUT_MS);
      InputStream in = c.getInputStream();
      List<String> head = readHead(in);
      if (head == null) {
        return;
      }
      boolean conditional = false;
      List<String> out = new ArrayList<>();
      out.add(head.get(0));
      for (String line : head.subList(1, head.size())) {
        String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
        if (name.equals("if-none-match")) {
          conditional = true;
          if (mode == Mode.DROP_IF_NONE_MATCH) {
            continue;
          }
        }
        if (name.equals("connection") || name.equals("keep-alive")) {
          continue; // not signed by SigV4; replaced below
        }
        out.add(line);
      }
      out.add("Connection: close");
      boolean put = head.get(0).toUpperCase(Locale.ROOT).startsWith("PUT ");
      boolean serialise = conditional && put && mode != Mode.DROP_IF_NONE_MATCH;
      if (conditional) {
        conditionalPutsSeen.incrementAndGet();
      }
      if (conditional && put && mode == Mode.CONFLICT_409 && conflictsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        conflictsInjected.incrementAndGet(); // before answering: the client may look at the count right after
        answerConflict(c, in, head);
        return;
      }
      if (serialise) {
        conditionalPuts.lockInterruptibly();
      }
      try {
        forward(c, in, out);
      } finally {
        if (serialise) {
          conditionalPuts.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client or the server went away: the client sees a failed request, which is what happened
    }
  }

  /** Sends the head upstream, pumps the rest of the request up and the whole response back until upstream closes. */
  private void forward(Socket client, InputStream clientIn, List<String> head) throws IOException {
    try (Socket up = new Socket(ChildJvm.LOOPBACK, upstreamPort)) {
      up.setSoTimeout(SOCKET_TIMEOUT_MS);
      OutputStream upOut = up.getOutputStream();
      upOut.write((String.join("\r\n", head) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      pool.execute(() -> pump(clientIn, upOut));
      pump(up.getInputStream(), client.getOutputStream());
    }
  }

  /** S3's 409 for a conditional write that races another; the body is skipped unless the client awaits 100. */
  private static void answerConflict(Socket client, InputStream in, List<String> head) throws IOException {
    long length = 0;
    boolean awaitsContinue = false;
    for (String line : head.subList(1, head.size())) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
        awaitsContinue = true;
      }
    }
    if (!awaitsContinue) {
      in.skipNBytes(length);
    }
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ConditionalRequestConflict</Code>"
        + "<Message>A conflicting conditional operation is currently in progress against this resource.</Message>"
        + "<RequestId>zdl-test</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
    String response = "HTTP/1.1 409 Conflict\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static void pump(InputStream from, OutputStream to) {
    byte[] buf = new byte[16 * 1024];
    try {
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // one side closed: the exchange is over
    }
  }

  /** The request line and header lines, or null if the client closed before sending a request. */
  private static List<String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0; // of "\r\n\r\n"
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      buf.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
      if (buf.size() > MAX_HEAD_BYTES) {
        throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
      }
    }
    String text = buf.toString(StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>(List.of(text.substring(0, text.length() - 4).split("\r\n")));
    return lines.isEmpty() || lines.get(0).isEmpty() ? null : lines;
  }
}
