package io.inferscope.probe;

import java.net.URI;
import java.time.Duration;

/** Builds {@link LoadSpec}s for tests, with small timeouts and one request by default. */
final class SpecBuilder {
  URI baseUrl;
  Endpoint endpoint = Endpoint.CHAT;
  String model = "tiny-llama";
  String prompt = "Hello";
  Integer maxTokens = 16;
  String extraBodyJson;
  int concurrency = 1;
  Integer requests = 1;
  Duration duration;
  Double ratePerSecond;
  LoadSpec.Arrival arrival = LoadSpec.Arrival.CONSTANT;
  long seed = 1;
  int warmupRequests;
  boolean includeUsage = true;
  Duration connect = Duration.ofSeconds(2);
  Duration firstByte = Duration.ofSeconds(10);
  Duration idle = Duration.ofSeconds(10);
  Duration total = Duration.ofSeconds(20);
  Duration drain = Duration.ofSeconds(5);
  String apiKey;
  LoadSpec.StreamThreads streamThreads;

  SpecBuilder(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  SpecBuilder endpoint(Endpoint e) {
    endpoint = e;
    return this;
  }

  SpecBuilder requests(int n) {
    requests = n;
    duration = null;
    return this;
  }

  SpecBuilder duration(Duration d) {
    duration = d;
    requests = null;
    return this;
  }

  SpecBuilder concurrency(int c) {
    concurrency = c;
    return this;
  }

  SpecBuilder rate(double perSecond) {
    ratePerSecond = perSecond;
    return this;
  }

  SpecBuilder warmup(int n) {
    warmupRequests = n;
    return this;
  }

  SpecBuilder maxTokens(Integer n) {
    maxTokens = n;
    return this;
  }

  SpecBuilder extra(String json) {
    extraBodyJson = json;
    return this;
  }

  SpecBuilder apiKey(String key) {
    apiKey = key;
    return this;
  }

  SpecBuilder streamThreads(LoadSpec.StreamThreads kind) {
    streamThreads = kind;
    return this;
  }

  SpecBuilder connect(Duration d) {
    connect = d;
    return this;
  }

  SpecBuilder firstByte(Duration d) {
    firstByte = d;
    return this;
  }

  SpecBuilder idle(Duration d) {
    idle = d;
    return this;
  }

  SpecBuilder total(Duration d) {
    total = d;
    return this;
  }

  SpecBuilder drain(Duration d) {
    drain = d;
    return this;
  }

  LoadSpec build() {
    return new LoadSpec(
        baseUrl,
        endpoint,
        model,
        prompt,
        maxTokens,
        extraBodyJson,
        concurrency,
        requests,
        duration,
        ratePerSecond,
        arrival,
        seed,
        warmupRequests,
        includeUsage,
        new Timeouts(connect, firstByte, idle, total, drain),
        apiKey,
        streamThreads);
  }
}
