package dev.beach.gateway;

import dev.beach.Address;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.lang.management.ManagementFactory;

/**
 * Prometheus metrics for a Beach node. Vert.x metrics must be switched on when Vert.x is created, so the
 * launcher passes {@link #options()} to its {@code VertxOptions}; the gateway then serves them at
 * {@code /metrics}. Without them {@code /metrics} still answers with JVM and process meters.
 * <p>
 * Event-bus address labels go through {@link Address#metricsLabel}: one actor address is
 * {@code beach.<realm>.@*}, so 100k actors stay a handful of series per realm.
 */
public final class GatewayMetrics {

  /** The Micrometer backend registry name Vert.x and the gateway share. */
  public static final String REGISTRY_NAME = "beach";

  private static final String ADDRESS_TAG = Label.EB_ADDRESS.toString();
  private static JvmGcMetrics gcMetrics;

  private GatewayMetrics() {
  }

  /**
   * Metrics options for {@code VertxOptions.setMetricsOptions}: Micrometer with a Prometheus registry, the
   * event-bus address label (aggregated by realm/category) and the HTTP route label. Registers the registry
   * up front so its label filter is in place before Vert.x creates its first meter.
   */
  public static synchronized MetricsOptions options() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName(REGISTRY_NAME)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .addLabels(Label.EB_ADDRESS, Label.HTTP_ROUTE);
    if (current() == null) {
      // Vert.x looks the backend up by name and reuses this one; a closed Vert.x unregisters it, so a later
      // Vert.x in the same JVM (tests) gets a fresh one here.
      BackendRegistries.setupBackend(options, newRegistry());
    }
    return options;
  }

  /**
   * The factory to build Vert.x with, next to {@link #options()}:
   * {@code Vertx.builder().with(vertxOptions).withMetrics(GatewayMetrics.factory())}. It is Vert.x's Micrometer
   * metrics, with the HTTP server's meters (same names and labels) held per route, method and status code instead
   * of built and looked up in the registry on every request. Without it, Vert.x's own HTTP server meters are used.
   */
  public static VertxMetricsFactory factory() {
    return new dev.beach.gateway.impl.GatewayMetricsFactory();
  }

  /** The registry Vert.x reports to, or null when Vert.x was created without {@link #options()}. */
  public static PrometheusMeterRegistry current() {
    MeterRegistry registry = BackendRegistries.getNow(REGISTRY_NAME);
    return registry instanceof PrometheusMeterRegistry ? (PrometheusMeterRegistry) registry : null;
  }

  /**
   * A Prometheus registry with the address filter and the JVM/process meters bound, every name one that
   * {@code promtool check metrics} accepts (MetricsTest runs it). Micrometer's {@code process.cpu.time} counts
   * nanoseconds, exposed as {@code process_cpu_time_ns_total} (an abbreviated unit): it is replaced by
   * {@code process_cpu_seconds_total}, the name Prometheus' own clients use, in seconds. {@code system.cpu.count}
   * would end in {@code _count}, a suffix Prometheus keeps for histograms and summaries: it is
   * {@code system_cpu_cores}.
   */
  public static synchronized PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.replaceTagValues(ADDRESS_TAG, Address::metricsLabel));
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
      }
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      FunctionCounter.builder("process.cpu", (com.sun.management.OperatingSystemMXBean) os,
          b -> b.getProcessCpuTime() / 1e9)
        .baseUnit("seconds")
        .description("The CPU time used by the JVM process")
        .register(registry);
    }
    new UptimeMetrics().bindTo(registry);
    // JvmGcMetrics holds a GC notification listener: keep one per JVM, on the newest registry.
    if (gcMetrics != null) {
      gcMetrics.close();
    }
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    return registry;
  }
}
