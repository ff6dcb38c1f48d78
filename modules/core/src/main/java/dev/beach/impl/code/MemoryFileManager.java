package dev.beach.impl.code;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps javac's class output in memory: realm sources are compiled without writing a file. */
final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {

  private final Map<String, byte[]> classes = new ConcurrentHashMap<>();

  MemoryFileManager(StandardJavaFileManager standard) {
    super(standard);
  }

  /** A source held in a string; its URI ends in the file name so javac's public-class-in-file check applies. */
  static JavaFileObject source(String fileName, String content) {
    return new SimpleJavaFileObject(URI.create("string:///" + fileName), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return content;
      }
    };
  }

  /** Bytecode written so far, by binary class name. */
  Map<String, byte[]> classes() {
    return Map.copyOf(classes);
  }

  @Override
  public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
      @Override
      public OutputStream openOutputStream() {
        return new ByteArrayOutputStream() {
          @Override
          public void close() {
            classes.put(className, toByteArray());
          }
        };
      }
    };
  }
}
