/**
 * The Redis broker: events published on any instance reach the subscribers of every
 * instance, through Redis pub/sub.
 */
@NullMarked
package io.wsrpc.pubsub.redis;

import org.jspecify.annotations.NullMarked;
