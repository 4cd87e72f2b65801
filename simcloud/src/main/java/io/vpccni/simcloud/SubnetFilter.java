package io.vpccni.simcloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.vpccni.simcloud.Filters.one;

/** The DescribeSubnets filters the simulator knows: by id, VPC, zone, CIDR, state and tags. */
final class SubnetFilter {
    private static final Map<String, Function<Subnet, Collection<String>>> FIELDS = Map.of(
            "subnet-id", s -> one(s.id()),
            "vpc-id", s -> one(s.vpcId()),
            "availability-zone", s -> one(s.availabilityZone()),
            "cidr-block", s -> one(s.cidr().toString()),
            "cidrBlock", s -> one(s.cidr().toString()),
            "state", s -> one("available"),
            "available-ip-address-count", s -> one(Integer.toString(s.availableAddresses())));
    private static final Filters<Subnet> FILTERS = new Filters<>(FIELDS, Subnet::tags);

    private SubnetFilter() {}

    static List<Subnet> apply(List<Subnet> subnets, List<QueryRequest.Filter> filters) {
        return FILTERS.apply(subnets, filters);
    }
}
