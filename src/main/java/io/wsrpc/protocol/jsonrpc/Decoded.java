package io.wsrpc.protocol.jsonrpc;

import java.util.List;
import java.util.Objects;

import io.wsrpc.protocol.ErrorCode;

/**
 * What one text frame on {@code /jsonrpc} turned out to be: a single entry, or a batch of
 * entries whose responses go back together in one array.
 */
public sealed interface Decoded permits Decoded.Single, Decoded.Batch {

	/**
	 * One request object, or a frame answered with one error.
	 *
	 * @param entry the entry
	 */
	record Single(Entry entry) implements Decoded {

		public Single {
			Objects.requireNonNull(entry, "entry");
		}

	}

	/**
	 * A non-empty array of entries.
	 *
	 * @param entries the entries, in the order sent
	 */
	record Batch(List<Entry> entries) implements Decoded {

		public Batch {
			entries = List.copyOf(entries);
			if (entries.isEmpty()) {
				throw new IllegalArgumentException("A batch has at least one entry");
			}
		}

	}

	/**
	 * One element of a frame: a call to run, one answered at once with an error, or a
	 * notification dropped without an answer.
	 */
	sealed interface Entry permits Call, Rejected, Dropped {

	}

	/**
	 * A well-formed request object.
	 *
	 * @param request the request
	 */
	record Call(JsonRpcRequest request) implements Entry {

		public Call {
			Objects.requireNonNull(request, "request");
		}

	}

	/**
	 * Something that is not a well-formed request object.
	 *
	 * @param reply the error response to send
	 */
	record Rejected(JsonRpcResponse.Failure reply) implements Entry {

		public Rejected {
			Objects.requireNonNull(reply, "reply");
		}

	}

	/**
	 * A notification the server refuses to run, because it is beyond a limit of the
	 * server's (such as the number of params). Like any notification it gets no response,
	 * not even an error.
	 *
	 * @param code why it was refused
	 */
	record Dropped(ErrorCode code) implements Entry {

		public Dropped {
			Objects.requireNonNull(code, "code");
		}

	}

}
