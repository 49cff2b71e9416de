package io.inferscope.cli;

import io.inferscope.sysmon.NoSuchProcessException;
import io.inferscope.sysmon.ProcessFinder;
import io.inferscope.sysmon.ProcessInfo;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which process is the engine: given by the user (pid, port, name) or found from the URL when the
 * engine runs on this host. Either a pid, or the reason none is sampled.
 *
 * @param pid the engine's root process, or null
 * @param how how it was found, for the record (e.g. {@code listening on port 8080})
 * @param reason why no process is sampled, when pid is null
 */
record EngineTarget(Integer pid, String how, String reason) {

  static EngineTarget resolve(HardwareOptions o, URI url, ProcessFinder finder) {
    if (o.noProcess) {
      return new EngineTarget(null, null, "switched off (--no-process)");
    }
    try {
      if (o.pid != null) {
        return new EngineTarget(finder.verifyPid(o.pid), "--pid", null);
      }
    } catch (NoSuchProcessException e) {
      throw Errors.usage(e.getMessage());
    }
    if (o.port != null) {
      OptionalInt p = finder.byPort(o.port);
      if (p.isEmpty()) {
        throw Errors.usage(
            "no process of this user listens on port " + o.port + ": check --port, or give --pid");
      }
      return new EngineTarget(p.getAsInt(), "listening on port " + o.port, null);
    }
    if (o.processName != null) {
      List<ProcessInfo> found = finder.byName(o.processName);
      if (found.isEmpty()) {
        throw Errors.usage(
            "no process named '" + o.processName + "': check --process-name, or give --pid");
      }
      if (found.size() > 1) {
        StringBuilder pids = new StringBuilder();
        for (ProcessInfo pi : found) {
          pids.append(pids.isEmpty() ? "" : ", ").append(pi.pid());
        }
        throw Errors.usage(
            found.size()
                + " processes are named '"
                + o.processName
                + "' ("
                + pids
                + "): give --pid");
      }
      return new EngineTarget(found.getFirst().pid(), "named " + o.processName, null);
    }
    if (url == null) {
      return new EngineTarget(null, null, "no engine given: use --pid, --port or --process-name");
    }
    int port = portOf(url);
    if (!isLocal(url.getHost())) {
      return new EngineTarget(
          null,
          null,
          "the engine at "
              + url.getHost()
              + " is not on this host (give --pid to"
              + " sample a local process)");
    }
    OptionalInt p = finder.byPort(port);
    if (p.isEmpty()) {
      return new EngineTarget(
          null, null, "no process of this user listens on port " + port + " (give --pid)");
    }
    return new EngineTarget(p.getAsInt(), "listening on port " + port + " (from --url)", null);
  }

  static int portOf(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  /** Whether the host names this machine: loopback, or one of its own interface addresses. */
  static boolean isLocal(String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try {
      // Only literal addresses and names the resolver knows locally (localhost, /etc/hosts):
      // a DNS lookup here would be an unbounded network wait.
      if (!h.equalsIgnoreCase("localhost") && !isLiteral(h)) {
        return false;
      }
      InetAddress a = InetAddress.getByName(h);
      return a.isLoopbackAddress()
          || a.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }

  private static boolean isLiteral(String h) {
    return h.contains(":") || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
