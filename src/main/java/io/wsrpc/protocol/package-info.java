/**
 * Wire-neutral pieces shared by both dialects: error codes, errors, outcomes and the
 * strict JSON mapper; Jackson only.
 */
@NullMarked
package io.wsrpc.protocol;

import org.jspecify.annotations.NullMarked;
