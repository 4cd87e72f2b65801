package io.vpccni.simcloud;

import java.util.List;

/** An immutable snapshot of an instance and its attached ENIs, ordered by device index. */
public record Instance(String id, InstanceType type, String subnetId, String vpcId, String availabilityZone,
                       List<String> securityGroupIds, List<NetworkInterface> networkInterfaces) {

    public NetworkInterface primaryInterface() {
        return networkInterfaces.getFirst();
    }
}
