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
