/** Process-tree and GPU sampling on the run clock. */
package io.inferscope.sysmon;
