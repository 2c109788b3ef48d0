/**
 * Runs one call: applies the in-flight limits, checks the caller's roles (with the same
 * check that guards topics), binds and validates params, invokes the method under its
 * deadline and turns every ending into an outcome.
 */
@NullMarked
package io.wsrpc.dispatch;

import org.jspecify.annotations.NullMarked;
