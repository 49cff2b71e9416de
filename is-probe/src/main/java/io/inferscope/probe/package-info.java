/**
 * Network I/O: streaming load against OpenAI-compatible engines over SSE.
 *
 * <p>Public surface: {@link io.inferscope.probe.LoadRunner} drives a {@link
 * io.inferscope.probe.LoadSpec} and returns a {@link io.inferscope.probe.LoadResult} holding one
 * {@link io.inferscope.core.RequestTrace} per request started, however the run ended (ADR 0008);
 * {@link io.inferscope.probe.EngineProbe} asks an engine for its models before a run.
 *
 * <p>Inside, one job per class, in the order bytes flow: the {@code StreamClient} owns a run's
 * event loops and connections (ADR 0011); each {@code Connection} stamps every socket read on the
 * run clock and hands the decoded HTTP response to its current {@code StreamExchange} (one request
 * from send to trace, its timeouts and its one retry); the {@code SseBody} splits the body into
 * lines and the {@code SseFramer} into events, which the {@code StreamRecorder} classifies with the
 * {@code ChunkParser} (one JSON payload, streamed, no tree). {@code Failures} names what went
 * wrong.
 *
 * <p>Decisions a reader of the traces should know:
 *
 * <ul>
 *   <li>A chunk that is not valid JSON fails the request ({@code malformed}, with an excerpt) but
 *       the stream is still read to its end and recorded, the bad event as {@code EMPTY}; the first
 *       fault seen is the one counted. An error event at HTTP 200 is handled the same way.
 *   <li>A 200 answer that is not an event stream (the server ignored {@code stream: true}) counts
 *       as one event stamped when the whole body arrived, when it is a completion object; anything
 *       else is {@code malformed}.
 *   <li>A stream that ends with a finish reason but no {@code [DONE]} is complete; one that ends
 *       with neither is {@code truncated}.
 *   <li>Nothing is retried and nothing is compressed: either would hide a failure or batch tokens.
 * </ul>
 */
package io.inferscope.probe;
