/**
 * The startup scan of @RpcMethod beans into an immutable table of invocable methods, and
 * the OpenRPC document built from it.
 */
@NullMarked
package io.wsrpc.registry;

import org.jspecify.annotations.NullMarked;
