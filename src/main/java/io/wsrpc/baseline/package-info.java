/**
 * A bare WebSocket echo on the server's own container, the floor that benchmarks compare
 * the RPC layer against.
 */
@NullMarked
package io.wsrpc.baseline;

import org.jspecify.annotations.NullMarked;
