/**
 * What application code touches to publish and fail remote methods; free of Spring.
 */
@NullMarked
package io.wsrpc.api;

import org.jspecify.annotations.NullMarked;
