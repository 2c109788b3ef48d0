/**
 * What operators see: the rpc actuator endpoint and the RPC health indicator.
 */
@NullMarked
package io.wsrpc.observability;

import org.jspecify.annotations.NullMarked;
