/**
 * The planner: from one {@link io.meshgw.operator.desired.Snapshot} of the custom resources, Services,
 * EndpointSlices, Secrets, Pods and the engines' read side, {@link io.meshgw.operator.desired.Planner#plan} computes
 * the {@link io.meshgw.operator.plan.Plan} every engine applies and what each object's status should say. No I/O, no
 * clock.
 */
package io.meshgw.operator.desired;
