package io.inferscope.sysmon;

/** Child-process helper: holds N MiB of touched memory, says "ready", then sleeps. */
public final class Allocate {
  private Allocate() {}

  public static void main(String[] args) throws InterruptedException {
    int mib = Integer.parseInt(args[0]);
    byte[][] blocks = new byte[mib][];
    for (int i = 0; i < mib; i++) {
      blocks[i] = new byte[1 << 20];
      for (int j = 0; j < blocks[i].length; j += 4096) {
        blocks[i][j] = 1; // touch every page so it is resident
      }
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(120_000); // bounded, in case a test could not kill it
    System.out.println(blocks.length);
  }
}
