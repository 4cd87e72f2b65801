package io.vpccni.simcloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/** Maps EC2 Query actions onto {@link SimulatedAccount} operations and renders their XML answers. */
final class Ec2Actions {
    static final Set<String> SUPPORTED = Set.of("CreateNetworkInterface", "AttachNetworkInterface",
            "ModifyNetworkInterfaceAttribute", "AssignPrivateIpAddresses", "UnassignPrivateIpAddresses",
            "DescribeNetworkInterfaces", "DetachNetworkInterface", "DeleteNetworkInterface", "DescribeInstances",
            "DescribeSubnets", "DescribeInstanceTypes", "CreateTags");

    private Ec2Actions() {}

    static String handle(QueryRequest q, SimulatedAccount account, String requestId) {
        String action = q.action();
        return switch (action) {
            case "CreateNetworkInterface" -> createNetworkInterface(q, account, requestId);
            case "AttachNetworkInterface" -> {
                int card = q.intParam("NetworkCardIndex", 0);
                String id = account.attachNetworkInterface(q.required("NetworkInterfaceId"), q.required("InstanceId"),
                        Integer.parseInt(q.required("DeviceIndex")), card);
                yield Ec2Responses.end(Ec2Responses.begin(action, requestId).leaf("attachmentId", id).leaf("networkCardIndex", card), action);
            }
            case "ModifyNetworkInterfaceAttribute" -> {
                String eniId = q.required("NetworkInterfaceId");
                if (q.get("Attachment.AttachmentId").isPresent()) {
                    account.setDeleteOnTermination(eniId, q.required("Attachment.AttachmentId"),
                            q.boolParam("Attachment.DeleteOnTermination", false));
                } else if (!q.list("SecurityGroupId").isEmpty()) {
                    account.setSecurityGroups(eniId, q.list("SecurityGroupId"));
                } else {
                    account.networkInterface(eniId); // other attributes (source/dest check, description) are accepted as no-ops
                }
                yield Ec2Responses.ok(action, requestId);
            }
            case "AssignPrivateIpAddresses" -> {
                var assigned = account.assignPrivateIps(q.required("NetworkInterfaceId"),
                        q.intParam("SecondaryPrivateIpAddressCount", 0), q.list("PrivateIpAddress"), q.intParam("Ipv4PrefixCount", 0));
                var x = Ec2Responses.begin(action, requestId).leaf("networkInterfaceId", assigned.eniId()).open("assignedPrivateIpAddressesSet");
                assigned.ips().forEach(ip -> x.open("item").leaf("privateIpAddress", ip).close("item"));
                x.close("assignedPrivateIpAddressesSet");
                Ec2Responses.prefixes(x, "assignedIpv4PrefixSet", assigned.prefixes());
                yield Ec2Responses.end(x, action);
            }
            case "UnassignPrivateIpAddresses" -> {
                account.unassignPrivateIps(q.required("NetworkInterfaceId"), q.list("PrivateIpAddress"), q.list("Ipv4Prefix"));
                yield Ec2Responses.ok(action, requestId);
            }
            case "DescribeNetworkInterfaces" -> describeNetworkInterfaces(q, account, requestId);
            case "DetachNetworkInterface" -> {
                account.detachNetworkInterface(q.required("AttachmentId"), q.boolParam("Force", false));
                yield Ec2Responses.ok(action, requestId);
            }
            case "DeleteNetworkInterface" -> {
                account.deleteNetworkInterface(q.required("NetworkInterfaceId"));
                yield Ec2Responses.ok(action, requestId);
            }
            case "DescribeInstances" -> describeInstances(q, account, requestId);
            case "DescribeSubnets" -> {
                var ids = q.list("SubnetId");
                var subnets = SubnetFilter.apply(ids.isEmpty() ? account.subnets() : ids.stream().map(account::subnet).toList(),
                        q.filters());
                var x = Ec2Responses.begin(action, requestId).open("subnetSet");
                subnets.forEach(s -> { x.open("item"); Ec2Responses.subnet(x, s); x.close("item"); });
                yield Ec2Responses.end(x.close("subnetSet"), action);
            }
            case "DescribeInstanceTypes" -> {
                var x = Ec2Responses.begin(action, requestId).open("instanceTypeSet");
                for (String name : q.list("InstanceType")) {
                    var type = InstanceType.find(name).orElseThrow(() -> new Ec2Error("InvalidInstanceType",
                            "The following supplied instance types do not exist: [" + name + "]"));
                    x.open("item");
                    Ec2Responses.instanceType(x, type);
                    x.close("item");
                }
                yield Ec2Responses.end(x.close("instanceTypeSet"), action);
            }
            case "CreateTags" -> {
                var ids = q.list("ResourceId");
                if (ids.isEmpty()) throw new Ec2Error("MissingParameter", "The request must contain the parameter ResourceId.1");
                account.createTags(ids, q.tags("Tag"));
                yield Ec2Responses.ok(action, requestId);
            }
            default -> throw new Ec2Error("InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private static String createNetworkInterface(QueryRequest q, SimulatedAccount account, String requestId) {
        var tags = new LinkedHashMap<String, String>();
        for (int i = 1; q.get("TagSpecification." + i + ".ResourceType").isPresent(); i++) {
            String type = q.required("TagSpecification." + i + ".ResourceType");
            if (!type.equals("network-interface")) {
                throw new Ec2Error("InvalidParameterValue", "'" + type + "' is not a valid taggable resource type for this operation.");
            }
            tags.putAll(q.tags("TagSpecification." + i + ".Tag"));
        }
        var eni = account.createNetworkInterface(new SimulatedAccount.CreateEni(q.required("SubnetId"), q.list("SecurityGroupId"),
                q.get("Description").orElse(""), q.intParam("SecondaryPrivateIpAddressCount", 0),
                q.intParam("Ipv4PrefixCount", 0), tags, q.get("InterfaceType").orElse("interface")));
        var x = Ec2Responses.begin("CreateNetworkInterface", requestId).open("networkInterface");
        Ec2Responses.networkInterface(x, eni);
        return Ec2Responses.end(x.close("networkInterface"), "CreateNetworkInterface");
    }

    private static String describeNetworkInterfaces(QueryRequest q, SimulatedAccount account, String requestId) {
        var ids = q.list("NetworkInterfaceId");
        List<NetworkInterface> candidates = ids.isEmpty() ? account.networkInterfaces() : ids.stream().map(account::networkInterface).toList();
        var matching = NetworkInterfaceFilter.apply(candidates, q.filters());
        var page = Page.of(matching, q);
        var x = Ec2Responses.begin("DescribeNetworkInterfaces", requestId).open("networkInterfaceSet");
        page.items().forEach(e -> { x.open("item"); Ec2Responses.networkInterface(x, e); x.close("item"); });
        x.close("networkInterfaceSet").leaf("nextToken", page.nextToken());
        return Ec2Responses.end(x, "DescribeNetworkInterfaces");
    }

    private static String describeInstances(QueryRequest q, SimulatedAccount account, String requestId) {
        var ids = q.list("InstanceId");
        var instances = ids.isEmpty() ? account.instances() : ids.stream().map(account::instance).toList();
        var x = Ec2Responses.begin("DescribeInstances", requestId).open("reservationSet");
        for (var instance : instances) {
            x.open("item").leaf("reservationId", "r-" + instance.id().substring(2)).leaf("ownerId", account.accountId())
                    .open("groupSet").close("groupSet").open("instancesSet").open("item");
            Ec2Responses.instance(x, instance);
            x.close("item").close("instancesSet").close("item");
        }
        return Ec2Responses.end(x.close("reservationSet"), "DescribeInstances");
    }

    /** MaxResults/NextToken paging; the token is the offset, which is enough for a stable, in-memory list. */
    private record Page<T>(List<T> items, String nextToken) {
        static <T> Page<T> of(List<T> all, QueryRequest q) {
            int max = q.intParam("MaxResults", Integer.MAX_VALUE);
            if (max < 5 || max > 1000 && max != Integer.MAX_VALUE) {
                throw new Ec2Error("InvalidParameterValue", "Value (" + max + ") for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
            }
            int from;
            try {
                from = Integer.parseInt(q.get("NextToken").orElse("0"));
            } catch (NumberFormatException e) {
                throw new Ec2Error("InvalidPaginationToken", "The token '" + q.get("NextToken").orElse("") + "' is invalid.");
            }
            int to = (int) Math.min(all.size(), (long) from + max);
            return new Page<>(new ArrayList<>(all.subList(Math.min(from, all.size()), to)), to < all.size() ? Integer.toString(to) : null);
        }
    }
}
