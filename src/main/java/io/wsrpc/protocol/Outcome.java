package io.wsrpc.protocol;

import java.util.Objects;

/**
 * How a call ended, before either dialect writes it as a reply.
 */
public sealed interface Outcome permits Outcome.Success, Outcome.Failure {

	/**
	 * The method returned.
	 *
	 * @param resultJson the result, already written as JSON ({@code null} for void)
	 */
	record Success(String resultJson) implements Outcome {

		public Success {
			Objects.requireNonNull(resultJson, "resultJson");
		}

	}

	/**
	 * The call failed.
	 *
	 * @param error why
	 */
	record Failure(RpcError error) implements Outcome {

		public Failure {
			Objects.requireNonNull(error, "error");
		}

		/**
		 * Creates a failure with a server code.
		 * @param code the server code
		 * @param message a sentence for a person
		 * @return the failure
		 */
		public static Failure of(ErrorCode code, String message) {
			return new Failure(RpcError.of(code, message));
		}

	}

}
