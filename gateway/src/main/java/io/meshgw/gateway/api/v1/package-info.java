/**
 * The admin API's JSON, version 1: one record per document or list element under
 * {@code /api/v1}. The REST resources return these types and the {@code meshgw} CLI reads them,
 * so a change here changes both sides at once, and the fixtures of the contract tests say
 * whether the JSON still reads as before.
 *
 * <p>A stable interface: scripts, dashboards and the e2e tests read these field names, and
 * read some of them by position in compact JSON, so components keep their names and their
 * order (Jackson writes a record's components in declaration order). Add, never rename or
 * reorder. The types hold only JSON's own shapes (strings, numbers, booleans, lists, maps of
 * strings), so any Jackson mapper writes and reads them alike: the gateway's, and the CLI's
 * plain one, whose class path has no other module of meshgw.
 *
 * <p>The syntax of the API's parameters lives here too ({@link io.meshgw.gateway.api.v1.ExplainTarget},
 * {@link io.meshgw.gateway.api.v1.IpLiteral}), so the CLI refuses exactly what the gateway would.
 */
package io.meshgw.gateway.api.v1;
