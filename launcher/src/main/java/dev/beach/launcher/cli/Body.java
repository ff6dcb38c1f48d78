package dev.beach.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A request body given on the command line: JSON text, {@code @file}, or {@code -} for standard input. */
final class Body {

  private Body() {
  }

  /** The body as JSON text, checked here so a typo is reported before anything is sent. */
  static String read(String arg, InputStream stdin) {
    if (arg == null) {
      return null;
    }
    String text;
    try {
      if (arg.equals("-")) {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } else if (arg.startsWith("@")) {
        text = Files.readString(Path.of(arg.substring(1)));
      } else {
        text = arg;
      }
    } catch (IOException e) {
      throw new CliException("cannot read the body from " + arg + ": " + e.getMessage());
    }
    parse(text, "BODY");
    return text;
  }

  static Object parse(String text, String what) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new CliException(what + " is not JSON (" + e.getMessage().replace("\n", " ")
        + "); quote text as '\"hello\"' or use @file");
    }
  }
}
