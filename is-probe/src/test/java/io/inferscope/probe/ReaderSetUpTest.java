package io.inferscope.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferscope.core.RequestTrace;
import org.junit.jupiter.api.Test;

class ReaderSetUpTest {
  @Test
  void theCannedAnswerGoesThroughTheWholeReadPath() {
    RequestTrace t = ReaderSetUp.exchangeOnce();
    assertThat(t).isNotNull();
    assertThat(t.ok()).as(String.valueOf(t.failure())).isTrue();
    assertThat(t.events().textEventCount()).isEqualTo(4);
    assertThat(t.finishReason()).isEqualTo("length");
    assertThat(t.usage().completionTokens()).isEqualTo(4);
    assertThat(t.serverTimings()).isNotNull();
  }

  @Test
  void theSetUpRunsOncePerProcess() {
    assertThat(ReaderSetUp.start()).isSameAs(ReaderSetUp.start());
    ReaderSetUp.await(ReaderSetUp.start());
    assertThat(ReaderSetUp.start()).isDone();
  }
}
