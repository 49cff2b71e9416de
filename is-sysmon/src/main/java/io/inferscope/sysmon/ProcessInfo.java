package io.inferscope.sysmon;

/**
 * A process found on the host.
 *
 * @param pid process id
 * @param name the command name ({@code comm})
 * @param cmdline the arguments joined by spaces; empty for kernel threads
 */
public record ProcessInfo(int pid, String name, String cmdline) {}
