package io.meshgw.bgp.rib;

/**
 * How a destination fits in one {@code long}, for the destinations that do (an IPv4 prefix: 32
 * bits of address and 6 of length), so a table of a million of them holds numbers rather than
 * objects. Packing must be exact: {@code unpack(pack(k))} equals {@code k}.
 *
 * @param <K> the destination key
 */
public interface KeyPacking<K> {

    /** What {@link #pack} returns for a key that does not fit. */
    long NONE = -1;

    /** {@code key} as a number from 0 to {@link Long#MAX_VALUE}, or {@link #NONE}. */
    long pack(K key);

    /** The key {@link #pack} made {@code packed} from. */
    K unpack(long packed);

    /** A packing that packs nothing: every key is held as an object. */
    static <K> KeyPacking<K> none() {
        return new KeyPacking<>() {
            @Override
            public long pack(K key) {
                return NONE;
            }

            @Override
            public K unpack(long packed) {
                throw new IllegalArgumentException("nothing was packed");
            }
        };
    }
}
