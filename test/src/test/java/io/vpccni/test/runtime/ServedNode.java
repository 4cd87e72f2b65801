package io.vpccni.test.runtime;

import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * {@code test/bin/sandbox --serve}: one simulated node with the real daemon, its CNI directories installed, kept
 * running until Ctrl-C, with the exact podman command that starts real containers on it. The node lives in the
 * sandbox's private namespaces; the printed commands enter them with nsenter.
 */
public final class ServedNode {
    private ServedNode() {
    }

    /** @param pods the pool the daemon keeps ready before it is announced (MINIMUM_IP_TARGET) */
    public static void serve(int pods) throws Exception {
        var dir = Files.createTempDirectory("vpccni-serve");
        var node = RuntimeNode.start("serve", dir, pods);
        var store = PodmanStore.create(node.cni.binDir, node.cni.confDir, dir);
        BusyboxImage.ensureIn(store);
        var podman = new PodmanContainers(store);
        podman.removeAll();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            podman.removeAll();  // their DELs while the daemon still serves, so the pool is left as it was
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                Command.of("rm", "-rf", dir.toString()).run();
                System.out.println("sandbox --serve: stopped; the node's namespaces and files are gone");
                stopped.countDown();
            }
        }));
        var enter = "nsenter -t " + ProcessHandle.current().pid() + " -n -m";
        System.out.printf("""

                sandbox --serve: a simulated node (m5.large, primary address %s) with aws-k8s-agent serving; Ctrl-C stops it
                  ipamd socket   %s
                  CNI bin dir    %s  (laid out by aws-k8s-agent install)
                  CNI conf dir   %s  (10-aws.conflist, written by the daemon)
                  plugin log     %s
                  enter the node %s   (its network and mount namespaces; the host's are untouched)

                start a container on it (podman's CNI backend, private store and config, network aws-cni):
                  %s env %s run -d --name web --network %s --cgroup-parent /%s -p 18080:8080 %s

                then, for example:
                  %s env %s exec web wget -qO- %s     (outside the VPC: answers the node's address, SNAT)
                  %s busybox wget -qO- http://127.0.0.1:61679/v1/pods     (the daemon's pods)
                  %s env %s rm -f -t 0 web
                """, node.primaryIp(), dir.resolve("ipamd.sock"), node.cni.binDir, node.cni.confDir, node.cni.pluginLog, enter,
                enter, store.commandLine(), PodmanContainers.NETWORK, CgroupHierarchy.PARENT, BusyboxImage.NAME,
                enter, store.commandLine(), node.outsideUrl(), enter, enter, store.commandLine());
        stopped.await();
    }
}
