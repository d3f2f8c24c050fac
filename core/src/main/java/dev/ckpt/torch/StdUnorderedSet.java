package dev.ckpt.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The iteration order of a GNU libstdc++ {@code std::unordered_set<std::string>} after a
 * sequence of inserts, which torch's serialization id depends on: {@code std::hash} (libstdc++'s
 * {@code _Hash_bytes}, seed {@code 0xc70f6907}), a singly linked node list whose buckets keep
 * their nodes together, new nodes first in their bucket (or first in the list when their bucket
 * is empty), and the prime rehash policy (11 buckets at least on the first insert, growth by 2,
 * maximum load factor 1). Checked against the ids torch 2.13 writes.
 */
final class StdUnorderedSet {
    private static final long MUL = (0xc6a4a793L << 32) + 0x5bd1e995L;
    private static final long SEED = 0xc70f6907L;
    private static final int[] FAST_BUCKETS = {2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13};
    /** libstdc++'s {@code __prime_list} (the part below 2^32; no archive has that many records). */
    private static final long[] PRIMES = {
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113,
        127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467,
        503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879, 2029,
        2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517, 8123,
        8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267, 28411,
        30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203, 99733,
        107897, 116731, 126271, 136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261, 299951,
        324503, 351061, 379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049, 834181, 902483,
        976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627, 2144977, 2320627,
        2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259, 5515729, 5967347,
        6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489, 12117689, 13109983, 14183539,
        15345007, 16601593, 17961079, 19431899, 21023161, 22744717, 24607243, 26622317, 28802401, 31160981, 33712729,
        36473443, 39460231, 42691603, 46187573, 49969847, 54061849, 58488943, 63278561, 68460391, 74066549, 80131819,
        86693767, 93793069, 101473717, 109783337, 118773397, 128499677, 139022417, 150406843, 162723577, 176048909,
        190465427, 206062531, 222936881, 241193053, 260944219, 282312799, 305431229, 330442829, 357502601, 386778277,
        418451333, 452718089, 489790921, 529899637, 573292817, 620239453, 671030513, 725980837, 785430967, 849749479,
        919334987, 994618837, 1076067617, 1164186217, 1259520799, 1362662261, 1474249943, 1594975441, 1725587117,
        1866894511, 2019773507, 2185171673L, 2364114217L, 2557710269L, 2767159799L, 2993761039L, 3238918481L,
        3504151727L, 3791104843L, 4101556399L, 4294967291L,
    };

    private static final class Node {
        final byte[] key;
        final long hash;
        Node next;

        Node(byte[] key, long hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    private final Node beforeBegin = new Node(null, 0);
    private final Set<String> keys = new HashSet<>();
    /** For each bucket, the node before its first node (or null when empty). */
    private Node[] buckets = new Node[1];
    private long nextResize;

    /** Inserts a key (a second insert of an equal key changes nothing). */
    void add(byte[] key) {
        if (!keys.add(Arrays.toString(key))) {
            return;
        }
        long grow = bucketsNeeded(keys.size() - 1);
        if (grow > 0) {
            rehash((int) grow);
        }
        Node node = new Node(key, hash(key));
        int bucket = bucket(node.hash, buckets.length);
        if (buckets[bucket] != null) {
            node.next = buckets[bucket].next;
            buckets[bucket].next = node;
        } else {
            node.next = beforeBegin.next;
            beforeBegin.next = node;
            if (node.next != null) {
                buckets[bucket(node.next.hash, buckets.length)] = node;
            }
            buckets[bucket] = beforeBegin;
        }
    }

    List<byte[]> iterationOrder() {
        List<byte[]> order = new ArrayList<>();
        for (Node n = beforeBegin.next; n != null; n = n.next) {
            order.add(n.key);
        }
        return order;
    }

    /** {@code _Prime_rehash_policy::_M_need_rehash} for one insert: the new bucket count, or 0. */
    private long bucketsNeeded(long elements) {
        long count = buckets.length;
        if (elements + 1 > nextResize) {
            double minBuckets = Math.max(elements + 1, nextResize != 0 ? 0 : 11);
            if (minBuckets >= count) {
                return nextBucketCount(Math.max((long) Math.floor(minBuckets) + 1, count * 2));
            }
            nextResize = count;
        }
        return 0;
    }

    /** {@code _Prime_rehash_policy::_M_next_bkt}. */
    private long nextBucketCount(long n) {
        if (n < FAST_BUCKETS.length) {
            nextResize = FAST_BUCKETS[(int) n];
            return FAST_BUCKETS[(int) n];
        }
        int i = Arrays.binarySearch(PRIMES, 6, PRIMES.length - 1, n);
        long prime = PRIMES[i >= 0 ? i : -i - 1];
        nextResize = prime;
        return prime;
    }

    private void rehash(int count) {
        Node[] fresh = new Node[count];
        Node p = beforeBegin.next;
        beforeBegin.next = null;
        int firstBucket = 0;
        while (p != null) {
            Node next = p.next;
            int bucket = bucket(p.hash, count);
            if (fresh[bucket] == null) {
                p.next = beforeBegin.next;
                beforeBegin.next = p;
                fresh[bucket] = beforeBegin;
                if (p.next != null) {
                    fresh[firstBucket] = p;
                }
                firstBucket = bucket;
            } else {
                p.next = fresh[bucket].next;
                fresh[bucket].next = p;
            }
            p = next;
        }
        buckets = fresh;
    }

    private static int bucket(long hash, int count) {
        return (int) Long.remainderUnsigned(hash, count);
    }

    /** libstdc++'s {@code std::_Hash_bytes} on 64-bit (MurmurHash64A-like), as {@code std::hash<std::string>}. */
    static long hash(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int aligned = bytes.length & ~7;
        long hash = SEED ^ (bytes.length * MUL);
        for (int p = 0; p < aligned; p += 8) {
            hash ^= shiftMix(buf.getLong(p) * MUL) * MUL;
            hash *= MUL;
        }
        if ((bytes.length & 7) != 0) {
            long tail = 0;
            for (int i = bytes.length - 1; i >= aligned; i--) {
                tail = (tail << 8) + (bytes[i] & 0xff);
            }
            hash ^= tail;
            hash *= MUL;
        }
        hash = shiftMix(hash) * MUL;
        return shiftMix(hash);
    }

    private static long shiftMix(long v) {
        return v ^ (v >>> 47);
    }
}
