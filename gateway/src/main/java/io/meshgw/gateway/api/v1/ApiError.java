package io.meshgw.gateway.api.v1;

/**
 * The body of every error answer of the admin API, whatever the status: the CLI prints
 * {@code error} after the status line.
 *
 * @param error what was wrong, worded for the person who sent the request
 */
public record ApiError(String error) {}
