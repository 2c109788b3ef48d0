/**
 * Runs one call: binds and validates params, applies the in-flight limit and the
 * deadline, invokes the method and turns every ending into an outcome.
 */
@NullMarked
package io.wsrpc.dispatch;

import org.jspecify.annotations.NullMarked;
