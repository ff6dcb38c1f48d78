package dev.beach.bench;

import java.util.List;

/** The JVM flags Hazelcast wants on JDK 17+ (the same ones bin/beach passes), for child JVMs. */
final class HazelcastFlags {

  static final List<String> FLAGS = List.of("--add-modules", "java.se",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
    "-Dhazelcast.phone.home.enabled=false",
    "-Dhazelcast.logging.type=slf4j");

  private HazelcastFlags() {
  }
}
