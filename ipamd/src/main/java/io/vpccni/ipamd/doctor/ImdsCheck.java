package io.vpccni.ipamd.doctor;

import java.util.ArrayList;
import java.util.List;

/** Whether IMDSv2 answers where the daemon asks it: without it the daemon learns no ENI and no address. */
final class ImdsCheck {
    private ImdsCheck() {
    }

    static List<Finding> findings(ImdsFacts imds) {
        var object = imds.endpoint().toString();
        var evidence = new ArrayList<String>();
        evidence.add(imds.detail());
        if (imds.outcome() == ImdsFacts.Outcome.TOKEN) {
            if (!imds.instanceType().isEmpty()) {
                evidence.add("meta-data/instance-type: " + imds.instanceType());
            }
            return List.of(Finding.ok("imds", object, "IMDSv2 answers", evidence));
        }
        var node = "curl -sX PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' " + imds.endpoint().resolve("/latest/api/token");
        if (imds.outcome() == ImdsFacts.Outcome.HTTP_ERROR) {
            return List.of(Finding.problem("imds", object, "IMDS refuses an IMDSv2 token (HTTP " + imds.httpStatus()
                    + "): the daemon cannot learn the node's ENIs and addresses", evidence, imds.httpStatus() == 403
                    ? "Enable the metadata endpoint: aws ec2 modify-instance-metadata-options --instance-id <id> --http-endpoint enabled."
                    : "Check what answers at " + object + " (AWS_EC2_METADATA_SERVICE_ENDPOINT): it is not IMDS as the daemon expects."));
        }
        if (imds.outcome() == ImdsFacts.Outcome.TIMEOUT) {
            evidence.add("a token PUT that times out from a pod's network namespace while it works on the node is what"
                    + " HttpPutResponseHopLimit=1 looks like: the answer dies one hop short; aws-node runs in the node's network");
        }
        return List.of(Finding.problem("imds", object, "IMDS does not answer an IMDSv2 token request: the daemon cannot learn the node's"
                        + " ENIs and addresses", evidence,
                "Try it on the node itself (" + node + "): if it works there but not here, raise the hop limit (aws ec2"
                        + " modify-instance-metadata-options --instance-id <id> --http-put-response-hop-limit 2); if not, enable the endpoint"
                        + " (--http-endpoint enabled) and look for a firewall rule dropping " + imds.endpoint().getHost() + "."));
    }
}
