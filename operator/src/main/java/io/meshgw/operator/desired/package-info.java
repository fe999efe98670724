/**
 * The pure desired-state model: from one {@link io.meshgw.operator.desired.Snapshot} of the custom resources,
 * Services, EndpointSlices, Secrets and the gateway's read side, {@link io.meshgw.operator.desired.DesiredStateModel}
 * computes what the gateway should apply and what each object's status should say. No I/O, no clock.
 */
package io.meshgw.operator.desired;
