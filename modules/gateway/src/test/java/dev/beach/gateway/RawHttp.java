package dev.beach.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One TCP connection to a gateway, written and read byte by byte: for requests {@link java.net.http.HttpClient}
 * refuses to build (a forged {@code Host}, broken framing) and for clients that are slow on purpose.
 */
final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    this(port, 0);
  }

  /** {@code receiveBuffer} > 0 keeps the kernel from taking much of an answer this client does not read. */
  RawHttp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** A request with {@code Connection: close}, answered in full. */
  static Reply exchange(int port, String request) throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      c.write(request);
      return c.readToEnd();
    }
  }

  /**
   * Sends {@code request} on a new connection and reads one answer: its head, then its body as framed
   * ({@code Content-Length} or chunked; a stream that never ends, such as SSE, is cut after a short wait). A
   * {@link Reply} with status 0 means no answer came: the server closed ({@code closed}) or {@code timeoutMs}
   * passed (a hang).
   */
  static Reply send(int port, byte[] request, long timeoutMs) throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      long deadline = System.currentTimeMillis() + timeoutMs;
      try {
        c.out.write(request);
        c.out.flush();
      } catch (IOException e) {
        // the server may close before it has read everything; what it answered is still readable
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int headEnd = -1;
      long bodyLength = -1;
      boolean chunked = false;
      boolean headOnly = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).equals("HEAD ");
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (headEnd >= 0 && !chunked && bodyLength >= 0 && all.size() >= headEnd + bodyLength) {
          return new Reply(all.toString(StandardCharsets.ISO_8859_1), false);
        }
        if (headEnd >= 0 && chunked && all.toString(StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n")) {
          return new Reply(all.toString(StandardCharsets.ISO_8859_1), false);
        }
        if (left <= 0) {
          return new Reply(headEnd >= 0 ? all.toString(StandardCharsets.ISO_8859_1) : "", false);
        }
        // Once the head is in, an endless body (an event stream) is read for a moment only.
        c.socket.setSoTimeout((int) Math.max(1, headEnd >= 0 && bodyLength < 0 ? Math.min(left, 150) : left));
        int n;
        try {
          n = c.in.read(buf);
        } catch (SocketTimeoutException e) {
          if (headEnd >= 0) {
            return new Reply(all.toString(StandardCharsets.ISO_8859_1), false);
          }
          continue;
        } catch (IOException e) {
          n = -1;
        }
        if (n < 0) {
          return new Reply(all.toString(StandardCharsets.ISO_8859_1), true);
        }
        all.write(buf, 0, n);
        while (headEnd < 0) {
          String text = all.toString(StandardCharsets.ISO_8859_1);
          int split = text.indexOf("\r\n\r\n");
          if (split >= 0 && text.startsWith("HTTP/1.1 100 ")) {
            // An interim answer to Expect: 100-continue: the real one follows.
            byte[] rest = java.util.Arrays.copyOfRange(all.toByteArray(), split + 4, all.size());
            all.reset();
            all.write(rest, 0, rest.length);
            continue;
          }
          if (split < 0) {
            break;
          }
          headEnd = split + 4;
          Reply head = new Reply(text.substring(0, split), false);
          String length = head.header("Content-Length");
          chunked = !headOnly && "chunked".equalsIgnoreCase(head.header("Transfer-Encoding"));
          if (headOnly || !chunked && length == null && (head.status == 204 || head.status == 304)) {
            bodyLength = 0;
          } else if (length != null) {
            bodyLength = Long.parseLong(length.trim());
          }
        }
      }
    }
  }

  /** What the server sent until it closed (or {@code soTimeout} passed): status, head and body. */
  static final class Reply {
    final int status;
    final String head;
    final String body;
    final boolean closed;

    Reply(String text, boolean closed) {
      int split = text.indexOf("\r\n\r\n");
      this.head = split < 0 ? text : text.substring(0, split);
      this.body = split < 0 ? "" : text.substring(split + 4);
      String[] line = head.split("\r\n", 2)[0].split(" ");
      this.status = line.length > 1 && line[1].matches("[0-9]{3}") ? Integer.parseInt(line[1]) : 0;
      this.closed = closed;
    }

    /** A header's value (the first), case-insensitive; null when absent. */
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return status + " " + head.replace("\r\n", " | ") + " :: " + body;
    }
  }

  void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  void soTimeout(int ms) throws IOException {
    socket.setSoTimeout(ms);
  }

  /** Reads until the server closes the connection; {@code closed} is false when the read timed out instead. */
  Reply readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean closed = false;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        all.write(buf, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      closed = true; // reset by the server
    }
    return new Reply(all.toString(StandardCharsets.ISO_8859_1), closed);
  }

  /** Whether the server closed the connection within {@code ms} (reading and dropping whatever it sent). */
  boolean closedWithin(long ms) throws IOException {
    long deadline = System.currentTimeMillis() + ms;
    byte[] buf = new byte[8192];
    while (System.currentTimeMillis() < deadline) {
      socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  /** Writes one byte at a time, {@code gapMs} apart, until done or the server closes; whether all was written. */
  boolean trickle(String text, long gapMs) {
    try {
      for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
        out.write(b);
        out.flush();
        Thread.sleep(gapMs);
        if (in.available() > 0 && new String(in.readNBytes(in.available()), StandardCharsets.ISO_8859_1)
          .toLowerCase(Locale.ROOT).contains("http/1.1")) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
