package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
  private static final Timeouts D = Timeouts.defaults();
  private static final Duration X = Duration.ofMillis(123);

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(D)
        .isEqualTo(
            new Timeouts(
                Duration.ofSeconds(5),
                Duration.ofSeconds(300),
                Duration.ofSeconds(60),
                Duration.ofSeconds(900),
                Duration.ofSeconds(30),
                Duration.ofSeconds(3)));
  }

  @Test
  void eachWithChangesOneBoundAndKeepsTheRest() {
    assertThat(D.withConnect(X))
        .isEqualTo(new Timeouts(X, D.firstByte(), D.idle(), D.total(), D.drain(), D.stopGrace()));
    assertThat(D.withFirstByte(X))
        .isEqualTo(new Timeouts(D.connect(), X, D.idle(), D.total(), D.drain(), D.stopGrace()));
    assertThat(D.withIdle(X))
        .isEqualTo(
            new Timeouts(D.connect(), D.firstByte(), X, D.total(), D.drain(), D.stopGrace()));
    assertThat(D.withTotal(X))
        .isEqualTo(new Timeouts(D.connect(), D.firstByte(), D.idle(), X, D.drain(), D.stopGrace()));
    assertThat(D.withDrain(X))
        .isEqualTo(new Timeouts(D.connect(), D.firstByte(), D.idle(), D.total(), X, D.stopGrace()));
    assertThat(D.withStopGrace(X))
        .isEqualTo(new Timeouts(D.connect(), D.firstByte(), D.idle(), D.total(), D.drain(), X));
  }

  @Test
  void aStopGraceMayBeZeroButNoOtherBound() {
    assertThat(D.withStopGrace(Duration.ZERO).stopGrace()).isZero();
    assertThatThrownBy(() -> D.withStopGrace(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the stop grace must be zero or positive");
    assertThatThrownBy(() -> D.withStopGrace(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> D.withIdle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("every timeout must be positive");
    assertThatThrownBy(() -> D.withDrain(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
