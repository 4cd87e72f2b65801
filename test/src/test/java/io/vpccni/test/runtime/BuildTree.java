package io.vpccni.test.runtime;

import java.nio.file.Path;

/** Where the runtime tier finds the build's outputs and keeps what it caches for the run (under test/target/runtime). */
final class BuildTree {
    private BuildTree() {
    }

    /** The repository: -Dvpccni.repo (the sandbox sets it), else the parent of the test module Failsafe runs in. */
    static Path repo() {
        var set = System.getProperty("vpccni.repo");
        return (set != null ? Path.of(set) : Path.of("..")).toAbsolutePath().normalize();
    }

    static Path pluginDist() {
        return repo().resolve("cni-plugin/target/dist");
    }

    static Path agent() {
        return Path.of(System.getProperty("vpccni.dist.agent", repo().resolve("ipamd/target/dist/aws-k8s-agent").toString()))
                .toAbsolutePath();
    }

    /** The daemon's class-data archive, kept in the build tree as the other E2Es keep it. */
    static Path agentCdsArchive() {
        return repo().resolve("test/target/aws-k8s-agent.jsa");
    }

    static Path cache() {
        return repo().resolve("test/target/runtime");
    }
}
