package dev.beach.launcher.impl;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Traps SIGTERM and SIGINT so {@code beach node} can drain, leave the cluster and exit 0 instead of the JVM's
 * 143/130. {@code sun.misc.Signal} is the only JDK way to do that; it is reached reflectively because javac
 * reports any direct use as a warning that cannot be suppressed, and our CI treats warnings as errors. Where it
 * is unavailable the JVM's shutdown hooks still close the node, only the exit code differs.
 */
public final class Signals {

  private Signals() {
  }

  /** Runs {@code action} on a JVM signal thread when {@code name} ("TERM", "INT") arrives; false if not trapped. */
  public static boolean trap(String name, Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Constructor<?> ctor = signalClass.getConstructor(String.class);
      Object signal = ctor.newInstance(name);
      Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[]{handlerClass}, (proxy, method, args) -> {
        switch (method.getName()) {
          case "handle":
            action.run();
            return null;
          case "hashCode":
            return System.identityHashCode(proxy);
          case "equals":
            return proxy == args[0];
          default:
            return "beach-signal-handler(" + name + ")";
        }
      });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      handle.invoke(null, signal, handler);
      return true;
    } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
      // IllegalArgumentException: the signal is reserved (e.g. the JVM runs with -Xrs).
      return false;
    }
  }
}
