/**
 * A stateful simulated AWS cloud for tests, benchmarks and the sandbox: EC2's Query API and IMDSv2 over the JDK's
 * HTTP server, backed by {@link io.vpccni.simcloud.SimulatedAccount}. Test fixtures: the JDK is its only dependency.
 *
 * <pre>{@code
 * var clock = new ManualClock();                        // or InstantSource.system()
 * var account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 42);
 * String subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
 * String pods = account.createSubnet("10.0.64.0/20", "us-west-2b", Map.of("kubernetes.io/role/cni", "1"));
 * String node = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
 * var ec2 = Ec2Server.start(clock);                     // 127.0.0.1:<ephemeral>
 * var endpoint = ec2.register("AKIDEXAMPLE", account);  // the SigV4 access key selects the account
 * endpoint.throttler().policy(ThrottlePolicy.defaults().with("CreateNetworkInterface", new ThrottlePolicy.Bucket(10, 1)));
 * endpoint.faults().failNext("AttachNetworkInterface", "AttachmentLimitExceeded", 1);
 * var imds = ImdsServer.start(account, node, clock).newEniDelay(Duration.ofSeconds(2));
 * // SDK: Ec2Client.builder().endpointOverride(ec2.uri()) + static credentials "AKIDEXAMPLE"; IMDS endpoint imds.uri()
 * account.operator().unassignIp(eniId, "10.0.1.7");    // behind the daemon's back; IMDS shows it at once
 * endpoint.counters().of("CreateNetworkInterface");     // what the daemon asked of EC2
 * }</pre>
 */
package io.vpccni.simcloud;
