package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.Subnet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ENABLE_SUBNET_DISCOVERY's choice, from the subnets' tags and free addresses. */
class SubnetRankingTest {
    private static final String PRIMARY = "subnet-primary";

    /** {@code tags} as {@code k=v;k=v}, where {@code c/<name>} is the cluster tag of that cluster. */
    private static Subnet subnet(String id, int free, String tags) {
        var map = new HashMap<String, String>();
        if (!tags.isBlank()) {
            for (var kv : tags.split(";")) {
                var parts = kv.split("=", 2);
                var key = parts[0].startsWith("c/") ? SubnetRanking.CLUSTER_TAG_PREFIX + parts[0].substring(2) : parts[0];
                map.put(key, parts.length > 1 ? parts[1] : "");
            }
        }
        return new Subnet(id, "vpc-1", "us-west-2a", "10.0.0.0/24", free, map);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | primary's free, tags | other's free, tags | cluster | expected order
            "untagged other subnets are not for pods           | 10 |                          | 500 |                          |      | subnet-primary",
            "a tagged subnet with more room comes first        | 10 |                          | 500 | kubernetes.io/role/cni=1 |      | subnet-other subnet-primary",
            "the tag's value need not be 1                     | 10 |                          | 500 | kubernetes.io/role/cni=  |      | subnet-other subnet-primary",
            "the fuller subnet comes last                      | 900|                          | 500 | kubernetes.io/role/cni=1 |      | subnet-primary subnet-other",
            "on a tie the primary comes first                  | 500|                          | 500 | kubernetes.io/role/cni=1 |      | subnet-primary subnet-other",
            "tagged 0 excludes a subnet, the primary too       | 10 | kubernetes.io/role/cni=0 | 500 | kubernetes.io/role/cni=0 |      | ''",
            "another cluster's subnet is not ours              | 10 |                          | 500 | kubernetes.io/role/cni=1;c/blue | green | subnet-primary",
            "our cluster's subnet is                           | 10 |                          | 500 | kubernetes.io/role/cni=1;c/blue | blue  | subnet-other subnet-primary",
            "a cluster-tagged subnet without a CLUSTER_NAME    | 10 |                          | 500 | kubernetes.io/role/cni=1;c/blue |       | subnet-primary",
    })
    void ranksByTagsThenFreeAddresses(String name, int primaryFree, String primaryTags, int otherFree, String otherTags,
                                      String cluster, String expected) {
        var ranked = SubnetRanking.rank(List.of(subnet("subnet-other", otherFree, otherTags == null ? "" : otherTags),
                subnet(PRIMARY, primaryFree, primaryTags == null ? "" : primaryTags)), PRIMARY, Optional.ofNullable(cluster));
        assertEquals(expected == null ? "" : expected, String.join(" ", ranked.stream().map(Subnet::id).toList()));
    }
}
