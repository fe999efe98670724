/**
 * Ports: what the operator needs from the gateway, as interfaces the gateway implements. The operator reads the
 * gateway's current view through them as well, so every pass applies only the difference between desired and
 * applied state (a restarted operator does not announce again what is already announced).
 *
 * <p>The records here are a stable interface between the operator and the gateway: change them together.
 */
package io.meshgw.operator.port;
