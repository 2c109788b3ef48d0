package io.wsrpc.pubsub;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Where a client left a topic: the offset of the last event it has, under the epoch it
 * was read in. The {@code since} param of {@code subscribe}.
 *
 * @param offset the offset of the last event the client has (0 for none)
 * @param epoch the topic's epoch that offset belongs to
 */
public record Since(@PositiveOrZero long offset, @NotBlank String epoch) {
}
