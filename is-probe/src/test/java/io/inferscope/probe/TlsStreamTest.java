package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.inferscope.core.Failure;
import io.inferscope.core.RequestTrace;
import io.inferscope.core.RunClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams over TLS from a real HTTPS server whose certificate {@code keytool} makes for {@code
 * localhost}: read as over clear text when the certificate is trusted and names the host, and a
 * connect failure naming the reason when it is not trusted or names another host.
 */
class TlsStreamTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static HttpsServer server;
  private static KeyStore keys;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("engine.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "engine",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          try (OutputStream body = TestServer.startStream(ex)) {
            TestServer.write(body, TestServer.okStream(5));
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static TrustManagerFactory trusting(KeyStore certificates) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(certificates);
    return tmf;
  }

  private static List<RequestTrace> run(String host, TrustManagerFactory trust) {
    URI url = URI.create("https://" + host + ":" + server.getAddress().getPort());
    LoadRunner runner =
        LoadRunner.create(
            TestSpecs.to(url).concurrency(2).requests(4).build(), RunClock.startNow());
    runner.trust = trust;
    return runner.run(null).traces();
  }

  @Test
  void aTrustedEngineStreamsOverTlsAsOverClearText() throws Exception {
    List<RequestTrace> traces = run("localhost", trusting(keys));
    assertThat(traces).hasSize(4).allMatch(RequestTrace::ok);
    for (RequestTrace t : traces) {
      assertThat(t.events().textEventCount()).isEqualTo(5);
      assertThat(t.finishReason()).isEqualTo("stop");
      assertThat(t.headersNanos()).isNotNull().isLessThanOrEqualTo(t.events().atNanos(0));
    }
  }

  @Test
  void anEngineThatChoosesHttp2IsReadOverSharedConnections() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SslContext serverTls =
        SslContextBuilder.forServer(kmf)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger streams = new AtomicInteger();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      connections.incrementAndGet();
                      ch.pipeline().addLast(serverTls.newHandler(ch.alloc()));
                      ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                      ch.pipeline()
                          .addLast(
                              new Http2MultiplexHandler(
                                  new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                      stream.pipeline().addLast(new Http2Answer(streams));
                                    }
                                  }));
                    }
                  })
              .bind(InetAddress.getLoopbackAddress(), 0)
              .sync()
              .channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      LoadRunner runner =
          LoadRunner.create(
              TestSpecs.to(URI.create("https://localhost:" + port))
                  .concurrency(2)
                  .requests(6)
                  .build(),
              RunClock.startNow());
      runner.trust = trusting(keys);
      List<RequestTrace> traces = runner.run(null).traces();
      assertThat(traces).hasSize(6).allMatch(RequestTrace::ok);
      for (RequestTrace t : traces) {
        assertThat(t.events().textEventCount()).isEqualTo(5);
        assertThat(t.finishReason()).isEqualTo("stop");
        assertThat(t.httpStatus()).isEqualTo(200);
      }
      // Every request was an HTTP/2 stream, and streams shared their connections.
      assertThat(streams.get()).isEqualTo(6);
      assertThat(connections.get()).isBetween(1, 2);
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Answers each HTTP/2 stream, once its request has ended, with a short event stream. */
  private static final class Http2Answer extends ChannelInboundHandlerAdapter {
    private final AtomicInteger streams;

    Http2Answer(AtomicInteger streams) {
      this.streams = streams;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      boolean end =
          (msg instanceof Http2HeadersFrame h && h.isEndStream())
              || (msg instanceof Http2DataFrame d && d.isEndStream());
      io.netty.util.ReferenceCountUtil.release(msg);
      if (!end) {
        return;
      }
      streams.incrementAndGet();
      ctx.write(
          new DefaultHttp2HeadersFrame(
              new DefaultHttp2Headers().status("200").set("content-type", "text/event-stream")));
      ctx.writeAndFlush(
          new DefaultHttp2DataFrame(
              Unpooled.copiedBuffer(TestServer.okStream(5), StandardCharsets.UTF_8), true));
    }
  }

  @Test
  void anUntrustedCertificateIsAConnectFailureNamingIt() {
    // The platform's trust store does not know the engine's self-made certificate.
    List<RequestTrace> traces = run("localhost", null);
    assertThat(traces).hasSize(4);
    assertThat(traces)
        .allSatisfy(
            t -> {
              assertThat(t.failure()).isInstanceOf(Failure.Connect.class);
              assertThat(t.failure().detail()).containsIgnoringCase("certification path");
            });
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws Exception {
    // 127.0.0.1 is not a name the certificate holds: trusted or not, it is not that engine's.
    List<RequestTrace> traces = run("127.0.0.1", trusting(keys));
    assertThat(traces).hasSize(4);
    assertThat(traces)
        .allSatisfy(
            t -> {
              assertThat(t.failure()).isInstanceOf(Failure.Connect.class);
              assertThat(t.failure().detail()).containsIgnoringCase("127.0.0.1");
            });
  }
}
