package io.wsrpc.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log limit on a clock the test moves by hand.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogLimitTests {

	private final AtomicLong now = new AtomicLong();

	private final LogLimit limit = new LogLimit(LoggerFactory.getLogger(LogLimitTests.class), Level.WARN, "test lines",
			3, Duration.ofSeconds(5), this.now::get);

	@Test
	void onlyTheFirstLinesOfAnIntervalPass() {
		assertThat(attempts(10)).containsExactly(true, true, true, false, false, false, false, false, false, false);
	}

	@Test
	void linesPassAgainOnceTheIntervalIsOver() {
		attempts(10);
		advance(Duration.ofSeconds(5));

		assertThat(attempts(4)).containsExactly(true, true, true, false);
	}

	@Test
	void theFirstLineAfterTheIntervalIsPrecededByASummaryWithTheCountHeldBack(CapturedOutput output) {
		attempts(1000);
		assertThat(output.getAll()).doesNotContain("not logged");
		advance(Duration.ofSeconds(5));

		this.limit.permits();

		assertThat(output.getAll()).contains("WARN",
				"997 more lines about test lines were not logged (at most 3 are logged every 5 s)");
	}

	@Test
	void flushWritesTheSummaryOnlyOnceTheIntervalIsOver(CapturedOutput output) {
		attempts(5);
		advance(Duration.ofSeconds(4));
		this.limit.flush();
		assertThat(output.getAll()).doesNotContain("not logged");
		advance(Duration.ofSeconds(1));

		this.limit.flush();
		this.limit.flush();
		advance(Duration.ofSeconds(5));
		this.limit.flush();

		assertThat(output.getAll().split("not logged", -1)).hasSize(2);
		assertThat(output.getAll()).contains("2 more lines about test lines were not logged");
	}

	@Test
	void anIntervalWithoutHeldBackLinesHasNoSummary(CapturedOutput output) {
		attempts(3);
		advance(Duration.ofSeconds(5));

		this.limit.flush();
		this.limit.permits();

		assertThat(output.getAll()).doesNotContain("not logged");
	}

	private List<Boolean> attempts(int count) {
		List<Boolean> permitted = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			permitted.add(this.limit.permits());
		}
		return permitted;
	}

	private void advance(Duration duration) {
		this.now.addAndGet(TimeUnit.NANOSECONDS.convert(duration));
	}

}
