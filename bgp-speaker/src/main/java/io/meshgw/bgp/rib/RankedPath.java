package io.meshgw.bgp.rib;

/** A path that can take part in best-path selection. */
public interface RankedPath {
    PathRank rank();
}
