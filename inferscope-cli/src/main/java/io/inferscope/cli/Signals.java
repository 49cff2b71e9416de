package io.inferscope.cli;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM for a run. The first signal asks the run to stop and write what it has; a
 * second one exits at once (the user insists), keeping only what was already written.
 *
 * <p>The JDK's own handling would start JVM shutdown on the first Ctrl-C and ignore the second, so
 * the handler is installed through {@code sun.misc.Signal} (module jdk.unsupported, exported for
 * this purpose). It is reached reflectively because javac flags every compile-time use of it, and
 * the build treats warnings as errors. Where it is unavailable, a shutdown hook gives the first
 * half of the behaviour.
 */
final class Signals {
  private static final AtomicInteger RECEIVED = new AtomicInteger();

  private Signals() {}

  /** A stop request: which signal, and the exit code it calls for (128 + signal number). */
  record Stop(String signal, int exitCode) {
    String reason() {
      return "interrupted by " + signal;
    }
  }

  /** What the signals call now: the last {@link #install}'s handlers. */
  private record Handlers(Consumer<Stop> onFirst, Consumer<Stop> onSecond) {}

  private static final AtomicReference<Handlers> CURRENT = new AtomicReference<>();

  /**
   * Calls {@code onFirst} once, from a signal thread, on the first SIGINT or SIGTERM; on the
   * second, calls {@code onSecond} (to say what was and was not written) and halts the JVM. A later
   * call replaces both at once (a run's own handlers after those of its warm-up): the signals are
   * hooked once per process, so a signal between two calls goes to one of them, and the count of
   * signals received is the process's.
   */
  static synchronized void install(Consumer<Stop> onFirst, Consumer<Stop> onSecond) {
    if (CURRENT.getAndSet(new Handlers(onFirst, onSecond)) != null) {
      return; // hooked already
    }
    for (String name : new String[] {"INT", "TERM"}) {
      int code = name.equals("INT") ? ExitCodes.INTERRUPTED : ExitCodes.TERMINATED;
      Runnable handler =
          () -> {
            Stop stop = new Stop("SIG" + name, code);
            Handlers h = CURRENT.get();
            if (RECEIVED.incrementAndGet() == 1) {
              h.onFirst().accept(stop);
            } else {
              try {
                h.onSecond().accept(stop);
              } finally {
                Runtime.getRuntime().halt(code);
              }
            }
          };
      if (!installSunMisc(name, handler)) {
        Runtime.getRuntime().addShutdownHook(new Thread(handler, "inferscope-shutdown"));
        return;
      }
    }
  }

  private static boolean installSunMisc(String name, Runnable handler) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance(name);
      Object proxy =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {handlerClass},
              (p, method, args) -> {
                if (method.getName().equals("handle")) {
                  handler.run();
                  return null;
                }
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == args[0];
                  default -> "inferscope signal handler";
                };
              });
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
