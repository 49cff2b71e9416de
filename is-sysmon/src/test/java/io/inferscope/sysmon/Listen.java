package io.inferscope.sysmon;

import java.io.IOException;
import java.net.ServerSocket;

/** Child-process helper: listens on an ephemeral TCP port, prints it, then sleeps. */
public final class Listen {
  private Listen() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    try (ServerSocket socket = new ServerSocket(0)) {
      System.out.println(socket.getLocalPort());
      System.out.flush();
      Thread.sleep(120_000); // bounded, in case a test could not kill it
    }
  }
}
