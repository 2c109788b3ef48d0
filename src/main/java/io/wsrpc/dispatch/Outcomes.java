package io.wsrpc.dispatch;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import io.wsrpc.api.RpcException;
import io.wsrpc.protocol.ErrorCode;
import io.wsrpc.protocol.Outcome;
import io.wsrpc.protocol.RpcError;
import io.wsrpc.protocol.RpcJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import tools.jackson.databind.JsonNode;

/**
 * How a call ends: a method's result or exception becomes an {@link Outcome} here and
 * nowhere else, and each ending is timed and, when it failed, logged within limits. A
 * client's failed calls and the server's own failures have separate log limits, so that a
 * client's flood cannot hide a bug; both log as the {@link Dispatcher}. Thread-safe.
 */
final class Outcomes {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private static final String NULL_JSON = "null";

	private final LogLimit failedCallLog = new LogLimit(logger, Level.INFO, "failed calls", 10,
			Dispatcher.LOG_INTERVAL);

	private final LogLimit internalErrorLog = new LogLimit(logger, Level.ERROR, "internal errors", 5,
			Dispatcher.LOG_INTERVAL);

	private final RpcJson json;

	Outcomes(RpcJson json) {
		this.json = json;
	}

	/**
	 * Ends a call: logs a client's failed call within its limit, stops the call's timer
	 * and hands over the outcome.
	 * @param call the call
	 * @param sample the call's timer
	 * @param outcome how it ended
	 * @param reply receives the outcome
	 */
	void finish(Call call, CallMetrics.Sample sample, Outcome outcome, Consumer<Outcome> reply) {
		String code = CallMetrics.OK;
		if (outcome instanceof Outcome.Failure failure) {
			code = failure.error().code();
			if (!ErrorCode.INTERNAL_ERROR.wireName().equals(code) && this.failedCallLog.permits()) {
				String request = describe(call);
				try (MDC.MDCCloseable connection = MDC.putCloseable(Dispatcher.CONNECTION_KEY,
						call.context().connectionId());
						MDC.MDCCloseable id = MDC.putCloseable(Dispatcher.REQUEST_KEY, request)) {
					logger.info("Call {} to '{}' failed with {}", request, LogText.printable(call.method()), code);
				}
			}
		}
		sample.stop(code);
		reply.accept(outcome);
	}

	/**
	 * The outcome of a method that returned.
	 * @param value what it returned
	 * @return the value written as JSON
	 * @throws tools.jackson.core.JacksonException if Jackson cannot write the value
	 */
	Outcome success(@Nullable Object value) {
		return new Outcome.Success((value != null) ? this.json.write(value) : NULL_JSON);
	}

	/**
	 * The one place where an exception becomes a reply.
	 * @param call the call that failed
	 * @param thrown what it threw, possibly wrapped by a future
	 * @return the reply
	 */
	Outcome.Failure failure(Call call, Throwable thrown) {
		Throwable cause = thrown;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof RpcException rpc) {
			Integer jsonRpcCode = rpc.jsonRpcCode();
			int numeric = (jsonRpcCode != null) ? jsonRpcCode
					: ErrorCode.fromWireName(rpc.code())
						.map(ErrorCode::jsonRpcCode)
						.orElse(RpcException.DEFAULT_JSON_RPC_CODE);
			Object details = rpc.details();
			if (details != null) {
				try {
					// written here, so that details Jackson cannot write cost this call
					// its details and not its reply
					details = this.json.mapper().valueToTree(details);
				}
				catch (RuntimeException ex) {
					logger.error("Call {} to '{}' failed with {} whose details cannot be written as JSON",
							describe(call), LogText.printable(call.method()), LogText.printable(rpc.code()), ex);
					return Outcome.Failure.of(ErrorCode.INTERNAL_ERROR, "The method failed on the server.");
				}
			}
			return new Outcome.Failure(new RpcError(rpc.code(), rpc.getMessage(), details, numeric));
		}
		if (cause instanceof InvalidParamsException invalid) {
			return new Outcome.Failure(RpcError.of(ErrorCode.INVALID_PARAMS, invalid.getMessage(), invalid.errors()));
		}
		if (this.internalErrorLog.permits()) {
			logger.error("Call {} to '{}' failed with internal_error", describe(call), LogText.printable(call.method()),
					cause);
		}
		return Outcome.Failure.of(ErrorCode.INTERNAL_ERROR, "The method failed on the server.");
	}

	/**
	 * Writes the summaries of the log limits whose interval is over; for a timer.
	 */
	void flushLogLimits() {
		this.failedCallLog.flush();
		this.internalErrorLog.flush();
	}

	/**
	 * The call's request id as log lines show it.
	 * @param call the call
	 * @return the id as JSON, made safe for a log line
	 */
	static String describe(Call call) {
		JsonNode id = call.requestId();
		if (id == null) {
			return "(notification)";
		}
		// as JSON, without a generator: this runs for every call
		if (id.isString()) {
			return LogText.printable('"' + id.asString() + '"');
		}
		return LogText.printable(id.isIntegralNumber() ? id.asString() : id.toString());
	}

}
