/**
 * Standalone mode: the gateway runs without an API server and reads the same objects from a YAML file.
 * {@link io.meshgw.operator.standalone.StandaloneObjects#parse} reads the file,
 * {@link io.meshgw.operator.standalone.SnapshotFromObjects#of} sorts the objects into a snapshot builder,
 * {@link io.meshgw.operator.reconcile.GatewayPorts#snapshot} adds the engines' read side,
 * {@link io.meshgw.operator.desired.Planner#plan} plans and {@link io.meshgw.operator.reconcile.PlanApplier} applies
 * the plan exactly as the operator would; the outcomes that would have been status are the gateway's to log and
 * report.
 */
package io.meshgw.operator.standalone;
