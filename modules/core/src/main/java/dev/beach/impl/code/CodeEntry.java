package dev.beach.impl.code;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One pushed file as the map {@code beach.code} holds it: a header that names, dates and signs the file, then
 * its bytes.
 * <pre>
 * [4 bytes "BCE1"][int header length][header, UTF-8 JSON {realm, file, sha256, size, version, node, mac}][content]
 * </pre>
 * {@code mac} is HMAC-SHA256 (see {@link CodeSigner}) over {@link #signedBytes()}: realm, file, the content's
 * SHA-256 and size, the version and the pushing node, each length-prefixed so no two headers sign the same bytes.
 * The content itself is bound through its hash. {@code version} is the push time in milliseconds, raised above the
 * version it replaces, so versions of one file only grow. Empty {@code mac}: pushed by a node without a secret.
 */
record CodeEntry(String realm, String file, String sha256, long size, long version, String node, String mac) {

  private static final byte[] MAGIC = {'B', 'C', 'E', '1'};
  private static final int MAX_HEADER_BYTES = 4096;

  /** Why an entry is refused; the message says it to an operator. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** A decoded map value: the header as stored, and the content after it. */
  record Decoded(CodeEntry entry, Buffer content) {
  }

  /** The entry {@code node} stores for {@code content}, signed with {@code signer} (unsigned without a secret). */
  static CodeEntry signed(String realm, String file, String sha256, long size, long version, String node,
                          CodeSigner signer) {
    CodeEntry unsigned = new CodeEntry(realm, file, sha256, size, version, node, "");
    return new CodeEntry(realm, file, sha256, size, version, node, signer.sign(unsigned.signedBytes()));
  }

  /** The map value: this header, then {@code content}. */
  Buffer encode(Buffer content) {
    byte[] header = new JsonObject().put("realm", realm).put("file", file).put("sha256", sha256).put("size", size)
      .put("version", version).put("node", node).put("mac", mac).encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(MAGIC.length + 4 + header.length + content.length())
      .appendBytes(MAGIC).appendInt(header.length).appendBytes(header).appendBuffer(content);
  }

  /** Reads a map value; refuses anything not in this format (raw bytes, a truncated or foreign header). */
  static Decoded decode(Buffer value) throws Refused {
    if (value.length() < MAGIC.length + 4 || !startsWithMagic(value)) {
      throw new Refused("it has no Beach code header (not stored by a Beach node)");
    }
    int length = value.getInt(MAGIC.length);
    int start = MAGIC.length + 4;
    if (length < 2 || length > MAX_HEADER_BYTES || start + length > value.length()) {
      throw new Refused("its header length " + length + " is out of bounds");
    }
    JsonObject h;
    try {
      h = new JsonObject(value.getString(start, start + length, "UTF-8"));
    } catch (DecodeException | ClassCastException e) {
      throw new Refused("its header is not JSON");
    }
    CodeEntry entry;
    try {
      entry = new CodeEntry(h.getString("realm"), h.getString("file"), h.getString("sha256"), h.getLong("size", -1L),
        h.getLong("version", -1L), h.getString("node", ""), h.getString("mac", ""));
    } catch (ClassCastException e) {
      throw new Refused("its header has a field of the wrong type");
    }
    if (entry.realm == null || entry.file == null || entry.sha256 == null || entry.node == null || entry.mac == null) {
      throw new Refused("its header lacks realm, file or sha256");
    }
    return new Decoded(entry, value.slice(start + length, value.length()));
  }

  /**
   * The checks every node makes before it writes a replicated file: the entry is stored under its own name, its
   * content is the content signed for, and (when {@code signer} has a secret) its signature verifies. Hashes the
   * content: call on a worker thread.
   */
  void check(String keyRealm, String keyFile, Buffer content, CodeSigner signer) throws Refused {
    if (!realm.equals(keyRealm) || !file.equals(keyFile)) {
      throw new Refused("it is stored as " + keyRealm + "/" + keyFile + " but made for " + realm + "/" + file);
    }
    if (signer.signs()) {
      if (mac.isEmpty()) {
        throw new Refused("it is unsigned, and this node has a cluster secret");
      }
      if (!signer.verify(signedBytes(), mac)) {
        throw new Refused("its signature does not verify with this node's cluster secret (forged, altered,"
          + " or signed with another secret)");
      }
    }
    if (content.length() != size) {
      throw new Refused("its content is " + content.length() + " bytes, not the " + size + " its header names");
    }
    if (!RealmFiles.sha256(content.getBytes()).equals(sha256)) {
      throw new Refused("its content is not the content that was " + (signer.signs() ? "signed" : "announced")
        + " (another SHA-256)");
    }
  }

  /** True when this header's signature verifies with {@code signer}: what a node may trust about a stored version. */
  boolean verifies(CodeSigner signer) {
    return !signer.signs() || signer.verify(signedBytes(), mac);
  }

  /** What the signature covers, in a fixed order with length prefixes. */
  byte[] signedBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      field(out, realm);
      field(out, file);
      field(out, sha256);
      out.writeLong(size);
      out.writeLong(version);
      field(out, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void field(DataOutputStream out, String value) throws IOException {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static boolean startsWithMagic(Buffer value) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (value.getByte(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
