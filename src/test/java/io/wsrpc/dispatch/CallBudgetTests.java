package io.wsrpc.dispatch;

import java.time.Duration;

import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallBudgetTests {

	private final CallBudget budget = new CallBudget(10);

	private final CallLimit limit = new CallLimit(1);

	@Test
	void aCallsPlaceIsFreeBeforeItsReplyGoesOutWhileTheCallCountsUntilAnswered() throws Exception {
		assertThat(this.budget.tryAcquire(this.limit, false)).isNull();

		this.budget.release(this.limit, false);

		assertThat(this.budget.tryAcquire(this.limit, false)).as("the next call of the connection").isNull();
		assertThat(this.budget.inFlight()).isEqualTo(2);
		assertThat(this.budget.awaitIdle(Duration.ZERO)).isFalse();
		this.budget.answered();
		assertThat(this.budget.inFlight()).isOne();
	}

	@Test
	void aDrainRefusesNewCallsAndWaitsUntilEveryCallIsAnswered() throws Exception {
		assertThat(this.budget.tryAcquire(this.limit, false)).isNull();

		this.budget.drain();

		assertThat(this.budget.tryAcquire(new CallLimit(1), false))
			.isEqualTo(new Outcome.Failure(RpcError.of(ErrorCode.OVERLOADED,
					"The server is shutting down; send the call to another instance or retry after reconnecting.")));
		this.budget.answered();
		this.budget.release(this.limit, false);
		assertThat(this.budget.awaitIdle(Duration.ZERO)).as("before the running call's reply").isFalse();
		this.budget.answered();
		assertThat(this.budget.awaitIdle(Duration.ZERO)).isTrue();
	}

}
