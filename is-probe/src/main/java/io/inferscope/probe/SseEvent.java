package io.inferscope.probe;

/**
 * One dispatched server-sent event.
 *
 * @param atNanos run-clock offset at which the line that completed the event was read
 * @param type the {@code event:} field, or null when none was given
 * @param data the {@code data:} lines joined with {@code \n}: bytes {@code [dataOffset, dataOffset
 *     + dataLength)} of this array, the reader's own buffer, valid until its next event is read;
 *     null when the event had no data line
 * @param dataOffset start of the data in {@code data}
 * @param dataLength length of the data in bytes
 * @param comment whether the event had a comment line ({@code :ping})
 */
record SseEvent(
    long atNanos, String type, byte[] data, int dataOffset, int dataLength, boolean comment) {

  boolean hasData() {
    return data != null;
  }
}
