/**
 * The daemon's cloud edges: {@link io.vpccni.ipamd.cloud.Ec2Api} (real: {@link io.vpccni.ipamd.cloud.SdkEc2Api},
 * AWS SDK v2 over the JDK URLConnection client, adaptive retries) and
 * {@link io.vpccni.ipamd.cloud.InstanceMetadata} (real: {@link io.vpccni.ipamd.cloud.ImdsClient}, IMDSv2 over
 * {@code java.net.http}). Only domain records cross these interfaces; EC2 failures arrive as the sealed
 * {@link io.vpccni.ipamd.cloud.CloudException}, whose subtype tells the pool what to do.
 */
package io.vpccni.ipamd.cloud;
