package dev.beach.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into words: whitespace separates, single and double quotes group, backslash escapes.
 * A word that starts with {@code {} or {@code [} is taken as JSON up to its closing bracket, quotes and spaces
 * included, so {@code request echo echo {"a": 1}} works without shell quoting.
 */
final class Words {

  private Words() {
  }

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (!inWord && (c == '{' || c == '[')) {
        int close = jsonEnd(line, i);
        words.add(line.substring(i, close));
        i = close - 1;
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new CliException("unclosed " + quote + " quote");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** The index after the bracket closing the JSON value that starts at {@code from}, or the line's end. */
  private static int jsonEnd(String line, int from) {
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
    }
    return line.length();
  }
}
