package dev.beach.gateway.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/** Request bodies: content-type checks and JSON parsing whose errors say where the text went wrong. */
public final class Bodies {

  public static final String JSON = "application/json";
  /**
   * Strict RFC 8259 JSON: Vert.x's shared parser also takes comments, which a script in another language
   * would then come to rely on. Jackson's default stream limits (nesting depth, number and string length)
   * stay in force, so a hostile body fails fast with 400.
   */
  private static final JsonFactory STRICT = JsonFactory.builder().build();
  public static final String OCTETS = "application/octet-stream";

  private Bodies() {
  }

  /** The media type of the request without parameters, lower case; null when there is no header. */
  public static String mediaType(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (header == null || header.isBlank()) {
      return null;
    }
    if (header.equals(JSON)) {
      return JSON; // what nearly every request sends: no substring, trim and lower-casing for it
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** Whether the media type is JSON ({@code application/json} or any {@code application/*+json} type). */
  public static boolean isJson(String mediaType) {
    return mediaType != null && (JSON.equals(mediaType) || mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  /**
   * Fails with 415 unless the request names one of {@code accepted} as its content type. A missing type is
   * refused too: the types a page of another site may send without asking first (forms, text, none at all) are
   * exactly the ones no state-changing route takes.
   */
  public static void requireType(RoutingContext ctx, Set<String> accepted) {
    String type = mediaType(ctx);
    if (type != null && (accepted.contains(type) || accepted.contains(JSON) && isJson(type))) {
      return;
    }
    throw new HttpErrors.Status(415, (type == null ? "the request has no Content-Type" : "unsupported content type '"
      + abbreviate(type) + "'") + ": send Content-Type: " + String.join(" or ", new java.util.TreeSet<>(accepted))
      + (type == null ? " (required on every request that changes state, even without a body)" : ""));
  }

  /** The body as a JSON value (object, array, string, number, boolean) or null when empty. */
  public static Object json(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || isBlank(body)) {
      return null;
    }
    Object value = parse(body);
    if (value instanceof BigInteger || value instanceof BigDecimal) {
      throw HttpErrors.bad("malformed JSON: the number " + abbreviate(value.toString()) + " is out of range");
    }
    return value;
  }

  /** The body as a JSON object; an empty body is an empty object. */
  public static JsonObject jsonObject(RoutingContext ctx) {
    Object value = json(ctx);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject)) {
      throw HttpErrors.bad("the body must be a JSON object, not " + kind(value));
    }
    return (JsonObject) value;
  }

  /** Parses JSON text; malformed input fails with 400 naming the line, column and byte offset. */
  public static Object parse(Buffer body) {
    JsonParser parser;
    try {
      parser = STRICT.createParser(body.getBytes());
    } catch (IOException e) {
      throw HttpErrors.bad("unreadable JSON body: " + e.getMessage());
    }
    try {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      JsonLocation at = null;
      String reason = e.getMessage();
      if (e.getCause() instanceof JsonProcessingException) {
        JsonProcessingException jpe = (JsonProcessingException) e.getCause();
        at = jpe.getLocation();
        reason = jpe.getOriginalMessage();
      }
      if (at == null) {
        at = parser.currentLocation();
      }
      throw HttpErrors.bad("malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
        + " (byte " + Math.max(0, at.getByteOffset()) + "): " + abbreviate(firstLine(reason)));
    }
  }

  static String kind(Object value) {
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value == null ? "null" : "an object";
  }

  private static boolean isBlank(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable input";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
