package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.checkpoint.CheckpointFile;
import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.host.IptablesException;
import io.vpccni.ipamd.host.IptablesMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Everything the checks read of the node itself, each part gathered on its own so that one that cannot be read
 * (a missing tool, an unmounted directory) leaves the others: a part that failed is an {@link Answer.Failed}
 * saying why.
 *
 * @param owners who manages each of the daemon's ENIs that has a link, by ENI id
 */
public record NodeFacts(Answer<KernelFacts> kernel, Answer<SysctlFacts> sysctls, Answer<IptablesFacts> iptables,
                        Answer<UnitFacts> units, Answer<MacPolicyFacts> macPolicy, Answer<ConflistFacts> conflist,
                        CheckpointFile.Reading checkpoint, ImdsFacts imds, Answer<Map<String, ObservedOwner>> owners) {

    /** Reads the node: the kernel through {@code host}, the rest from the paths {@code settings} names. */
    static NodeFacts gather(DoctorSettings settings, Answer<GuardView> guard, HostAccess host) {
        var kernel = attempt("rtnetlink", () -> {
            try (var nl = host.netlink().get()) {
                return KernelFacts.read(nl);
            }
        });
        var primary = primaryLink(guard, kernel);
        return new NodeFacts(kernel,
                attempt(settings.procSys().toString(), () -> SysctlFacts.read(settings.procSys(), primary)),
                Answer.got(readIptables(host)),
                attempt(settings.systemdSystemDir().toString(), () -> UnitFacts.read(settings.systemdSystemDir())),
                attempt("the .link files", () -> MacPolicyFacts.read(settings.ownership().networkDirectories())),
                attempt(settings.conflistDir().toString(), () -> ConflistFacts.read(settings.conflistDir())),
                CheckpointFile.read(settings.checkpoint()),
                ImdsFacts.probe(settings.imdsEndpoint()),
                attempt("the guard's paths", () -> owners(settings.ownership(), guard, kernel)));
    }

    /** The daemon's primary ENI's link, else the device of main's default route, else "". */
    static String primaryLink(Answer<GuardView> guard, Answer<KernelFacts> kernel) {
        if (guard instanceof Answer.Got<GuardView> g) {
            var named = g.value().enis().stream().filter(e -> e.primary() && !e.link().isEmpty()).findFirst();
            if (named.isPresent()) {
                return named.get().link();
            }
        }
        return kernel instanceof Answer.Got<KernelFacts> k ? k.value().defaultRouteLink().orElse("") : "";
    }

    private static IptablesFacts readIptables(HostAccess host) {
        var backends = new ArrayList<IptablesFacts.Backend>();
        for (var mode : IptablesMode.values()) {
            try {
                backends.add(new IptablesFacts.Backend(mode, host.iptables().apply(mode).saveAll(), ""));
            } catch (IptablesException e) {
                backends.add(new IptablesFacts.Backend(mode, "", e.getMessage().lines().findFirst().orElse("")));
            }
        }
        return new IptablesFacts(backends);
    }

    private static Map<String, ObservedOwner> owners(LinkOwnership.Paths paths, Answer<GuardView> guard, Answer<KernelFacts> kernel) {
        var out = new LinkedHashMap<String, ObservedOwner>();
        if (!(guard instanceof Answer.Got<GuardView> g)) {
            return out;
        }
        var ownership = new LinkOwnership(paths);
        var k = kernel.orNull();
        for (var eni : g.value().enis()) {
            // The kernel's link for the MAC, not the daemon's idea of it: the doctor checks the daemon, it does not trust it.
            var link = k == null ? java.util.Optional.<io.vpccni.ipamd.net.Link>empty() : k.linkByMac(eni.mac());
            if (link.isPresent()) {
                out.put(eni.eniId(), ObservedOwner.observe(ownership, paths, eni.eniId(), link.get().name(), link.get().index(), eni.mac()));
            } else if (k == null && !eni.link().isEmpty()) {
                out.put(eni.eniId(), ObservedOwner.observe(ownership, paths, eni.eniId(), eni.link(), eni.linkIndex(), eni.mac()));
            }
        }
        return out;
    }

    private static <T> Answer<T> attempt(String what, Callable<T> read) {
        try {
            return Answer.got(read.call());
        } catch (IOException e) {
            return Answer.failed("cannot read " + what + ": " + e);
        } catch (Exception | LinkageError e) {
            return Answer.failed("cannot read " + what + ": " + e.getMessage());
        }
    }
}
