/**
 * JSON-RPC 2.0 as spoken on /jsonrpc: requests, batches, notifications and their codec.
 */
@NullMarked
package io.wsrpc.protocol.jsonrpc;

import org.jspecify.annotations.NullMarked;
