package io.vpccni.simcloud;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** DescribeNetworkInterfaces filters: all filters must match; within one, any value (EC2 wildcards * and ?). */
final class NetworkInterfaceFilter {
    private NetworkInterfaceFilter() {}

    static boolean matches(NetworkInterface eni, List<QueryRequest.Filter> filters) {
        return filters.stream().allMatch(f -> matches(eni, f));
    }

    /** Rejects unknown names up front, as EC2 does, so that a typo fails loudly instead of matching nothing. */
    static void validate(List<QueryRequest.Filter> filters) {
        for (var f : filters) {
            if (!f.name().startsWith("tag:") && field(f.name()) == null) {
                throw new Ec2Error("InvalidParameterValue", "The filter '" + f.name() + "' is invalid");
            }
        }
    }

    private static boolean matches(NetworkInterface eni, QueryRequest.Filter f) {
        if (f.name().equals("tag-key")) {
            return eni.tags().keySet().stream().anyMatch(k -> anyValueMatches(f.values(), k));
        }
        if (f.name().startsWith("tag:")) {
            String value = eni.tags().get(f.name().substring(4));
            return value != null && anyValueMatches(f.values(), value);
        }
        if (f.name().equals("private-ip-address")) {
            return eni.allIps().stream().anyMatch(ip -> anyValueMatches(f.values(), ip));
        }
        String actual = field(f.name()).apply(eni);
        return actual != null && anyValueMatches(f.values(), actual);
    }

    private static Function<NetworkInterface, String> field(String name) {
        return switch (name) {
            case "attachment.instance-id" -> e -> e.attachment().map(NetworkInterface.Attachment::instanceId).orElse(null);
            case "attachment.attachment-id" -> e -> e.attachment().map(NetworkInterface.Attachment::id).orElse(null);
            case "attachment.device-index" -> e -> e.attachment().map(a -> Integer.toString(a.deviceIndex())).orElse(null);
            case "status" -> NetworkInterface::status;
            case "vpc-id" -> NetworkInterface::vpcId;
            case "subnet-id" -> NetworkInterface::subnetId;
            case "description" -> NetworkInterface::description;
            case "interface-type" -> NetworkInterface::interfaceType;
            case "network-interface-id" -> NetworkInterface::id;
            case "mac-address" -> NetworkInterface::macAddress;
            case "availability-zone" -> NetworkInterface::availabilityZone;
            case "owner-id" -> NetworkInterface::ownerId;
            case "tag-key", "private-ip-address" -> e -> null; // handled above; listed so validate() accepts them
            default -> null;
        };
    }

    private static boolean anyValueMatches(List<String> patterns, String actual) {
        return patterns.stream().anyMatch(p -> wildcard(p).matcher(actual).matches());
    }

    private static Pattern wildcard(String pattern) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
