/**
 * The crash-safe record of which attachment holds which address, in upstream's file format
 * ({@code {"version":"vpc-cni-ipam/1","allocations":[...]}} at {@code AWS_VPC_K8S_CNI_BACKING_STORE}).
 *
 * <p>{@link io.vpccni.ipamd.checkpoint.CheckpointStore} is the edge to the disk, with
 * {@link io.vpccni.ipamd.checkpoint.FileCheckpointStore} for real and
 * {@link io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore} for tests.
 * {@link io.vpccni.ipamd.checkpoint.GroupCommitter} lets many changes share one write while each caller still
 * learns that its own change is durable, or that it must undo it.
 */
package io.vpccni.ipamd.checkpoint;
