/**
 * The value types every module of meshgw shares: one type per concept, parsed once where text enters (a CRD, the
 * standalone file, a wire format) and never carried as a string inside the product.
 *
 * <p>{@link IpAddress} (with {@link Ipv4Address} and {@link Ipv6Address}), {@link IpPrefix}, {@link Protocol},
 * {@link ServicePort} and {@link ClusterId}. These types are a stable interface: mesh-sync's wire format, the
 * datapath's maps and the CRDs all take their ranges from here.
 */
package io.meshgw.types;
