#!/usr/bin/env python3
"""The node's footprint in one run: the real aws-k8s-agent on a simulated node, pods through the real aws-cni.

Each phase gets a fresh network namespace (inside the private one test/bench/node-bench.sh made), a fresh simulated
cloud (io.vpccni.test.bench.NodeBenchCloud: EC2, IMDS, ENIs as veths) and a fresh daemon process:

  cold   the daemon with AWS_K8S_AGENT_CDS_ARCHIVE at a path that does not exist yet: start -> first pod served;
         its clean exit writes the archive
  main   the same archive, now trained: start -> first pod served; then RSS and threads at 0, 10, 50, 110 pods,
         and at 10 and 110 pods a round of calls, alternating: our ADD and DEL (a fresh netns per pod, the daemon's
         CPU read around each from its threads' schedstat) and Debian's ptp + host-local ADD and DEL (a fresh netns per pod, its host
         side in a netns of its own so that its links never reach our daemon); the daemon's own time per call from
         its log line "ADD ok in N us" (the timer behind awscni_cni_request_seconds)
  nmt    (unless --no-nmt) the trained archive with -XX:NativeMemoryTracking=summary, 110 pods: jcmd's summary and
         GC.heap_info, and the RSS by mapping from smaps (the heap, the class-data archives, libjvm, the rest)

The daemon's CPU per call is the sum of its threads' schedstat run time (nanoseconds) around the call, so that one call's
figure means something (/proc/<pid>/stat counts 10 ms ticks; it still gives the idle rate and each round's total).
Whatever the daemon does in the background (JIT compilation, GC, its loops) lands in the window it happens to fall in:
hence the median beside the mean, and the split by thread. The instance type must hold 110 pods (m5.4xlarge: 234).

Prints one table and writes an SVG chart (RSS against pods, the ADD latency distribution of both plugins).
usage: test/bench/node-bench.sh [--calls N] [--instance-type T] [--no-nmt] [--out DIR]
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AGENT = os.path.join(ROOT, "ipamd", "target", "dist", "aws-k8s-agent")
PLUGIN = os.path.join(ROOT, "cni-plugin", "target", "dist", "aws-cni")
CNI_BIN = "/usr/lib/cni"
JDK = os.environ.get("BENCH_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64")
CLK_TCK = os.sysconf("SC_CLK_TCK")
LEVELS = (0, 10, 50, 110)
CALL_LEVELS = (10, 110)
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


# ---- processes and namespaces

def sh(*argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def exec_timed(argv, env, stdin):
    """One exec, reaped with wait4: (wall ms, the child's utime+stime ms, exit code, stdout)."""
    start = time.perf_counter_ns()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdin.write(stdin.encode())
    p.stdin.close()
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so that Popen does not wait again
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, p.returncode, out.decode()


def new_netns():
    """Moves this process (and so every child it starts) into a fresh network namespace, /sys following it."""
    if libc.unshare(CLONE_NEWNET) != 0:
        sys.exit(f"node-bench: unshare(CLONE_NEWNET): {os.strerror(ctypes.get_errno())}")
    sh("mount", "-t", "sysfs", "sysfs", "/sys")
    sh("ip", "link", "set", "lo", "up")
    with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
        f.write("1")  # as kubelet's node has it
    return os.open("/proc/self/ns/net", os.O_RDONLY)


class InNetns:
    """Runs a block in another network namespace (ptp's host), then returns to the node's."""

    def __init__(self, target, home):
        self.target, self.home = target, home

    def __enter__(self):
        libc.setns(self.target, CLONE_NEWNET)

    def __exit__(self, *exc):
        libc.setns(self.home, CLONE_NEWNET)


def drop_netns(name):
    sh("ip", "netns", "del", name)


def proc_cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / CLK_TCK  # utime, stime (fields 14 and 15)


def threads_cpu_ns(pid):
    """Each thread's CPU time so far, exact (schedstat's nanoseconds, where /proc/<pid>/stat counts 10 ms ticks):
    (clock ticks since boot, {tid: (thread name with its digits as #, ns)}). Listing /proc/<pid>/task can skip a
    thread when another ends meanwhile (the JVM starts and stops compiler threads), so it is listed twice."""
    with open("/proc/uptime") as f:
        ticks = float(f.read().split()[0]) * CLK_TCK
    threads = {}
    for tid in set(os.listdir(f"/proc/{pid}/task")) | set(os.listdir(f"/proc/{pid}/task")):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = re.sub(r"\d+", "#", f.read().strip())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        threads[tid] = (name, ns)
    return ticks, threads


def thread_started_ticks(pid, tid):
    try:
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
    except (FileNotFoundError, ProcessLookupError):
        return 0


def cpu_between(pid, before, after):
    """The daemon's CPU between two threads_cpu_ns readings: (total ms, ms by thread name, threads started between).
    A thread missing from the first reading counts from zero only if it started after it; one that ended between
    the two is missed (the daemon's threads are long-lived: 41-43 at every level)."""
    (ticks, first), (_, second) = before, after
    by_name, new = {}, []
    for tid, (name, ns) in second.items():
        if tid not in first:
            if thread_started_ticks(pid, tid) < ticks - 1:
                continue  # the first listing skipped it: its share of the window is unknown, and small
            new.append(name)
        by_name[name] = by_name.get(name, 0) + (ns - first.get(tid, (name, 0))[1]) / 1e6
    return sum(by_name.values()), by_name, new


def proc_status(pid):
    """(RSS MiB, threads, anonymous RSS MiB, file-backed RSS MiB: the class-data archive, libjvm, the jars)."""
    with open(f"/proc/{pid}/status") as f:
        status = dict(l.split(":", 1) for l in f if ":" in l)
    mib = lambda key: int(status[key].split()[0]) / 1024
    return mib("VmRSS"), int(status["Threads"]), mib("RssAnon"), mib("RssFile") + mib("RssShmem")


# ---- one simulated node with the real daemon

class Node:
    def __init__(self, name, instance_type, archive, java_opts=""):
        self.netns = new_netns()
        self.work = tempfile.mkdtemp(prefix=f"nb-{name}-")
        self.pods = []
        with open(os.path.join(ROOT, "test", "target", "test-classpath.txt")) as f:
            cp = os.path.join(ROOT, "test", "target", "test-classes") + ":" + f.read().strip()
        self.cloud = subprocess.Popen([os.path.join(JDK, "bin", "java"), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                                       "io.vpccni.test.bench.NodeBenchCloud", instance_type, self.work],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.cloud.stdout.readline().decode().strip()
        if not line:
            sys.exit("node-bench: the simulated cloud did not start")
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_") and k != "KUBECONFIG"}
        env.update(kv.split("=", 1) for kv in line.split("\t"))
        env["AWS_K8S_AGENT_CDS_ARCHIVE"] = archive
        env["JAVA_HOME"] = JDK
        if java_opts:
            env["AWS_K8S_AGENT_JAVA_OPTS"] = java_opts
        self.socket = env["IPAMD_SOCKET_PATH"]
        self.log_path = os.path.join(self.work, "agent.log")
        self.conf = json.dumps({"cniVersion": "1.0.0", "name": "aws-cni", "type": "aws-cni", "mtu": "9001",
                                "vethPrefix": "eni", "pluginLogFile": os.path.join(self.work, "plugin.log"),
                                "ipamdSocket": self.socket})
        self.started = time.perf_counter_ns()
        self.started_epoch_ms = time.time() * 1000
        self.daemon = subprocess.Popen([AGENT], env=env, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        self.pid = self.daemon.pid  # the launcher execs the JVM: the same process

    def cni(self, verb, pod):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_COMMAND": verb, "CNI_CONTAINERID": "nb-" + pod,
               "CNI_NETNS": "/run/netns/" + pod, "CNI_IFNAME": "eth0", "CNI_PATH": CNI_BIN,
               "CNI_ARGS": f"IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME={pod}"}
        return exec_timed([PLUGIN], env, self.conf)

    def add_until_served(self, pod, deadline_s=90, netns_made=False):
        """ADD as kubelet does: again while the daemon is not there yet or says "try again later"."""
        if not netns_made:
            sh("ip", "netns", "add", pod)
        began = time.monotonic()
        self.retries = 0  # how many "try again later" answers this pod got before it was served
        while True:
            wall, cpu, rc, out = self.cni("ADD", pod)
            if rc == 0:
                self.pods.append(pod)
                self.waited_ms = (time.monotonic() - began) * 1000
                return wall, cpu
            self.retries += 1
            if self.daemon.poll() is not None or time.monotonic() > began + deadline_s:
                sys.exit(f"node-bench: ADD of {pod} not served: {out}\n(daemon log: {self.log_path})")
            time.sleep(0.05)

    def delete(self, pod):
        """DEL, as the runtime calls it before it removes the pod's netns (drop_netns)."""
        wall, cpu, rc, out = self.cni("DEL", pod)
        if rc != 0:
            sys.exit(f"node-bench: DEL of {pod} failed: {out}")
        self.pods.remove(pod)
        return wall, cpu

    def remove(self, pod):
        self.delete(pod)
        drop_netns(pod)

    def first_pod_ms(self):
        """Process start -> first pod served, and the daemon's milestones on the way (from its log's timestamps)."""
        self.add_until_served("first")
        served = (time.perf_counter_ns() - self.started) / 1e6
        with open(self.log_path) as f:
            log = f.read()
        milestone = lambda text: next((int(m.group(1)) - self.started_epoch_ms for m in re.finditer(
            r'"timestamp":(\d+)[^\n]*"formattedMessage":"' + text, log)), float("nan"))
        return served, milestone("serving gRPC"), milestone("IP pool open")

    def fill(self, count):
        while len(self.pods) < count:
            self.add_until_served(f"p{len(self.pods)}")

    def settle(self, seconds=3.0):
        """Lets the warm pool catch up; returns the daemon's idle CPU over the last 2 s, ms per s."""
        time.sleep(max(0.0, seconds - 2))
        before = proc_cpu_ms(self.pid)
        time.sleep(2)
        return (proc_cpu_ms(self.pid) - before) / 2

    def log_offset(self):
        return os.path.getsize(self.log_path)

    def call_times_us(self, offset, verb):
        with open(self.log_path) as f:
            f.seek(offset)
            return [int(m.group(1)) for m in re.finditer(rf'"formattedMessage":"{verb} ok in (\d+) us"', f.read())]

    def close(self, keep_log_in=None):
        """SIGTERM, as kubelet stops aws-node (its clean exit writes the class-data archive); everything removed."""
        self.daemon.send_signal(signal.SIGTERM)
        try:
            self.daemon.wait(30)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            self.daemon.wait()
        if keep_log_in:
            shutil.copy(self.log_path, os.path.join(keep_log_in, os.path.basename(self.work).rsplit("-", 1)[0] + "-agent.log"))
        for pod in self.pods:
            subprocess.run(["ip", "netns", "del", pod], stderr=subprocess.DEVNULL)
        self.cloud.stdin.close()
        self.cloud.wait(30)
        os.close(self.netns)
        shutil.rmtree(self.work, ignore_errors=True)


# ---- Debian's ptp + host-local, with its host side in a netns of its own

class Ptp:
    def __init__(self, work, home):
        self.home = home
        sh("ip", "netns", "add", "ptp-host")
        self.host = os.open("/run/netns/ptp-host", os.O_RDONLY)
        with InNetns(self.host, home):
            sh("ip", "link", "set", "lo", "up")
        self.conf = json.dumps({"cniVersion": "1.0.0", "name": "bench", "type": "ptp", "ipMasq": False,
                                "ipam": {"type": "host-local", "subnet": "10.200.0.0/16",
                                         "dataDir": os.path.join(work, "host-local")}})

    def cni(self, verb, pod):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_COMMAND": verb, "CNI_CONTAINERID": "nb-" + pod,
               "CNI_NETNS": "/run/netns/" + pod, "CNI_IFNAME": "eth0", "CNI_PATH": CNI_BIN,
               "CNI_ARGS": f"IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME={pod}"}
        with InNetns(self.host, self.home):
            wall, cpu, rc, out = exec_timed([os.path.join(CNI_BIN, "ptp")], env, self.conf)
        if rc != 0:
            sys.exit(f"node-bench: ptp {verb} of {pod} failed: {out}")
        return wall, cpu

    def close(self):
        os.close(self.host)
        subprocess.run(["ip", "netns", "del", "ptp-host"])


def call_round(node, ptp, level, calls):
    """At {level} pods: {calls} ADD+DEL of a transient pod through each plugin, alternating; the daemon's CPU around ours."""
    samples = {k: [] for k in ("ours ADD", "ours DEL", "ptp ADD", "ptp DEL", "daemon ADD", "daemon DEL")}
    for i in range(calls + 3):  # the first 3 rounds warm caches and are dropped
        keep = i >= 3
        if i == 3:
            round_start = proc_cpu_ms(node.pid)
        ours, theirs = f"t{level}-{i}", f"q{level}-{i}"
        sh("ip", "netns", "add", ours)
        sh("ip", "netns", "add", theirs)
        window = time.perf_counter_ns()
        before = threads_cpu_ns(node.pid)  # the daemon's CPU around our plugin call only: netns made before, dropped after
        add = node.add_until_served(ours, netns_made=True)
        mid = threads_cpu_ns(node.pid)
        window = (time.perf_counter_ns() - window) / 1e6
        ptp_add = ptp.cni("ADD", theirs)
        before_del = threads_cpu_ns(node.pid)
        delete = node.delete(ours)
        after = threads_cpu_ns(node.pid)
        drop_netns(ours)
        ptp_del = ptp.cni("DEL", theirs)
        drop_netns(theirs)
        if keep:
            samples["ours ADD"].append(add)
            samples["ours DEL"].append(delete)
            samples["ptp ADD"].append(ptp_add)
            samples["ptp DEL"].append(ptp_del)
            samples["daemon ADD"].append(cpu_between(node.pid, before, mid))
            samples.setdefault("window ADD", []).append(window)
            samples.setdefault("retried ADD", []).append((node.retries, node.waited_ms))
            samples["daemon DEL"].append(cpu_between(node.pid, before_del, after))
    # Work the daemon does after answering (a veth reaped, a healer pass on what the netns removal took away) falls
    # outside the windows above: the whole round's CPU per ADD+DEL pair includes it.
    samples["daemon pair"] = (proc_cpu_ms(node.pid) - round_start) / calls
    return samples


# ---- figures

def pct(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def wall_cpu(samples):
    walls = [w for w, _ in samples]
    return statistics.median(walls), pct(walls, 0.9), statistics.mean(c for _, c in samples)


def run_bench(args, archive_dir):
    results = {"instance": args.instance_type, "calls": args.calls}
    archive = os.path.join(archive_dir, "aws-k8s-agent.jsa")

    print("node-bench: cold start (no class-data archive yet)", file=sys.stderr)
    node = Node("cold", args.instance_type, archive)
    try:
        results["start cold"] = node.first_pod_ms()
    finally:
        node.close()
    results["archive MB"] = os.path.getsize(archive) / 1e6 if os.path.exists(archive) else 0

    print("node-bench: trained start, then 0 -> 110 pods", file=sys.stderr)
    node = Node("main", args.instance_type, archive)
    ptp = Ptp(node.work, node.netns)
    try:
        results["start trained"] = node.first_pod_ms()
        node.remove("first")
        results["footprint"], results["after round"], results["idle cpu"], results["rounds"] = {}, {}, {}, {}
        for level in LEVELS:
            node.fill(level)
            results["idle cpu"][level] = node.settle()
            results["footprint"][level] = proc_status(node.pid)
            if level in CALL_LEVELS:
                print(f"node-bench: {args.calls} calls of each plugin at {level} pods", file=sys.stderr)
                offset = node.log_offset()
                results["rounds"][level] = call_round(node, ptp, level, args.calls)
                results["rounds"][level]["work ADD"] = node.call_times_us(offset, "ADD")[-args.calls:]
                results["rounds"][level]["work DEL"] = node.call_times_us(offset, "DEL")[-args.calls:]
                results["after round"][level] = proc_status(node.pid)
    finally:
        ptp.close()
        node.close(keep_log_in=args.out)

    if args.nmt:
        print("node-bench: Native Memory Tracking at 110 pods", file=sys.stderr)
        nmt_archive = os.path.join(archive_dir, "nmt.jsa")
        shutil.copy(archive, nmt_archive)  # other JVM options may make the JVM rewrite it
        node = Node("nmt", args.instance_type, nmt_archive, "-XX:NativeMemoryTracking=summary")
        try:
            node.first_pod_ms()
            node.fill(110)
            node.settle()
            results["nmt rss"] = proc_status(node.pid)
            jcmd = lambda *command: subprocess.run([os.path.join(JDK, "bin", "jcmd"), str(node.pid), *command],
                                                   capture_output=True, text=True).stdout
            summary = jcmd("VM.native_memory", "summary", "scale=KB")
            heap = jcmd("GC.heap_info")
            with open(os.path.join(args.out, "nmt-110-pods.txt"), "w") as f:
                f.write(summary + "\n" + heap)
            results["nmt"] = parse_nmt(summary)
            results["heap"] = [" ".join(l.split()[:5]) for l in heap.splitlines()
                               if l.startswith(("DefNew", "Tenured", "def new", "tenured", " Metaspace", " class space"))]
            results["mappings"] = resident_by_mapping(node.pid, heap)
        finally:
            node.close()
    return results


def resident_by_mapping(pid, heap_info):
    """RSS and its anonymous part (MiB) by what is mapped, from smaps: the Java heap (GC.heap_info's bounds), the
    class-data archives (*.jsa, where relocated pages turn anonymous), libjvm, other files, thread stacks, the rest."""
    bounds = [int(a, 16) for a in re.findall(r"0x([0-9a-f]+)", heap_info)]
    low, high = (min(bounds), max(bounds)) if bounds else (0, 0)
    kinds, kind = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"):
                start, end = (int(a, 16) for a in parts[0].split("-"))
                path = parts[5] if len(parts) > 5 else ""
                kind = ("Java heap" if start < high and end > low else "class-data archives (.jsa)" if path.endswith(".jsa")
                        else "libjvm.so" if path.endswith("libjvm.so") else "[stack]" if path.startswith("[stack")
                        else "other files" if path.startswith("/") else "other anonymous")
            elif parts[0] in ("Rss:", "Anonymous:"):
                rss, anon = kinds.get(kind, (0, 0))
                kb = int(parts[1]) / 1024
                kinds[kind] = (rss + kb, anon) if parts[0] == "Rss:" else (rss, anon + kb)
    return kinds


def parse_nmt(text):
    """jcmd's summary as (area, reserved KB, committed KB), the total first."""
    rows = []
    total = re.search(r"Total: reserved=(\d+)KB, committed=(\d+)KB", text)
    if total:
        rows.append(("Total", int(total.group(1)), int(total.group(2))))
    for m in re.finditer(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB[,)]", text, re.M):
        rows.append((m.group(1).strip(), int(m.group(2)), int(m.group(3))))
    return rows


def print_table(r):
    ms = lambda v: f"{v:.1f}"
    print(f"\nnode-bench: the real aws-k8s-agent on a simulated {r['instance']}, pods through the real aws-cni; "
          f"{r['calls']} calls of each plugin per level, alternating, a fresh netns per pod\n")
    print("| what | aws-cni + aws-k8s-agent | ptp + host-local | ratio |")
    print("|---|---|---|---|")
    for level in CALL_LEVELS:
        s = r["rounds"][level]
        for verb in ("ADD", "DEL"):
            om, op, oc = wall_cpu(s[f"ours {verb}"])
            pm, pp, pc = wall_cpu(s[f"ptp {verb}"])
            print(f"| plugin {verb} at {level} pods: wall median / p90, CPU per call (ms) | {ms(om)} / {ms(op)}, {ms(oc)} "
                  f"| {ms(pm)} / {ms(pp)}, {ms(pc)} | {om / pm:.2f}x wall, {oc / pc:.2f}x CPU |")
    for level in CALL_LEVELS:
        s = r["rounds"][level]
        # An ADD told to try again later spans the wait (the pool's cooldown, seconds): its window says nothing per call.
        served_at_once = [not n for n, _ in s["retried ADD"]]
        total = {"ADD": [t for (t, _, _), once in zip(s["daemon ADD"], served_at_once) if once],
                 "DEL": [t for t, _, _ in s["daemon DEL"]]}
        print(f"| daemon CPU per ADD ({len(total['ADD'])} served at once) / per DEL at {level} pods, median (mean), "
              f"its threads' schedstat around the call "
              f"| {ms(statistics.median(total['ADD']))} ({ms(statistics.mean(total['ADD']))}) / "
              f"{ms(statistics.median(total['DEL']))} ({ms(statistics.mean(total['DEL']))}) ms; the whole round per "
              f"ADD+DEL pair {ms(s['daemon pair'])} ms (utime+stime), idle before it {ms(r['idle cpu'][level])} ms/s | – | |")
    for level in CALL_LEVELS:
        retried = [(n, waited) for n, waited in r["rounds"][level]["retried ADD"] if n]
        if retried:
            print(f"| our ADDs at {level} pods answered 'try again later' (11) before being served (the plugin rows time "
                  f"the call that succeeded; the daemon's CPU covers the wait) | {len(retried)} of {r['calls']}, the "
                  f"longest served after {max(w for _, w in retried) / 1000:.1f} s | – | |")
    for verb in ("ADD", "DEL"):
        s = r["rounds"][110]
        windows = [names for (_, names, _), (n, _) in zip(s[f"daemon {verb}"], s["retried ADD"]) if verb == "DEL" or not n]
        by_name = {}
        for names in windows:
            for name, v in names.items():
                by_name[name] = by_name.get(name, 0) + v / len(windows)
        top = sorted(by_name.items(), key=lambda x: -x[1])[:5]
        print(f"| where the daemon's CPU per {verb} at 110 pods goes, mean ms by thread | "
              + ", ".join(f"{name} {v:.1f}" for name, v in top) + " | – | |")
    for level in CALL_LEVELS:
        s = r["rounds"][level]
        work = " ; ".join(f"{v} {statistics.median(s[f'work {v}']) / 1000:.2f} / {pct(s[f'work {v}'], 0.99) / 1000:.2f}"
                          for v in ("ADD", "DEL"))
        print(f"| daemon work per call at {level} pods, its log, median / p99 (ms) | {work} | – | |")
    fp = " ; ".join(f"{lvl}: {rss:.0f} MiB ({anon:.0f} anon + {file:.0f} file), {th}"
                    for lvl, (rss, th, anon, file) in r["footprint"].items())
    print(f"| daemon RSS (anonymous + file-backed), threads, by pods on the node | {fp} | – | |")
    after = " ; ".join(f"{lvl}: {rss:.0f} MiB, {th}" for lvl, (rss, th, _, _) in r["after round"].items())
    print(f"| daemon RSS, threads after each level's {r['calls']} ADD+DEL | {after} | – | |")
    for name, key in (("no class-data archive", "start cold"), (f"trained archive ({r['archive MB']:.0f} MB)", "start trained")):
        served, grpc, pool = r[key]
        print(f"| start -> first pod served, {name} (serving gRPC, pool open) | {served:.0f} ms (+{grpc:.0f}, +{pool:.0f}) | – | |")
    if "nmt" in r:
        rss, threads, _, _ = r["nmt rss"]
        print(f"\nNative Memory Tracking at 110 pods (RSS {rss:.0f} MiB, {threads} threads; NMT adds a little of its own), "
              "committed MiB by area:")
        print("| area | committed MiB | reserved MiB |")
        print("|---|---|---|")
        for area, reserved, committed in sorted(r["nmt"], key=lambda x: (x[0] != "Total", -x[2])):
            if committed >= 512 or area == "Total":
                print(f"| {area} | {committed / 1024:.1f} | {reserved / 1024:.1f} |")
        rest = sum(c for a, _, c in r["nmt"] if c < 512 and a != "Total")
        print(f"| the rest ({sum(1 for a, _, c in r['nmt'] if c < 512 and a != 'Total')} areas) | {rest / 1024:.1f} | |")
        for line in r.get("heap", []):
            print(f"  GC.heap_info: {line}")
        if r.get("mappings"):
            tracked = sum(c for a, _, c in r["nmt"] if a not in ("Total", "Java Heap", "Shared class space")) / 1024
            print(f"  resident by mapping (smaps): " + " ; ".join(
                f"{kind} {rss:.0f} MiB ({anon:.0f} anon)" for kind, (rss, anon) in sorted(r["mappings"].items(), key=lambda x: -x[1][0])))
            print(f"  NMT's committed areas other than the heap and the archive: {tracked:.0f} MiB")


# ---- the chart: plain SVG text, no dependency

def svg_chart(r, path):
    w, h, pad = 960, 360, 60
    pw = (w - 3 * pad) / 2
    ph = h - 2 * pad - 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>']

    def axes(x0, title, xlabel, ylabel, xmax, ymax, xticks, yticks):
        out.append(f'<text x="{x0 + pw / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">{title}</text>')
        out.append(f'<line x1="{x0}" y1="{pad + ph}" x2="{x0 + pw}" y2="{pad + ph}" stroke="black"/>')
        out.append(f'<line x1="{x0}" y1="{pad}" x2="{x0}" y2="{pad + ph}" stroke="black"/>')
        for t in xticks:
            x = x0 + t / xmax * pw
            out.append(f'<text x="{x}" y="{pad + ph + 15}" text-anchor="middle">{t:g}</text>')
        for t in yticks:
            y = pad + ph - t / ymax * ph
            out.append(f'<line x1="{x0}" y1="{y}" x2="{x0 + pw}" y2="{y}" stroke="#ddd"/>')
            out.append(f'<text x="{x0 - 5}" y="{y + 4}" text-anchor="end">{t:g}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{pad + ph + 32}" text-anchor="middle">{xlabel}</text>')
        out.append(f'<text x="{x0 - 38}" y="{pad + ph / 2}" text-anchor="middle" '
                   f'transform="rotate(-90 {x0 - 38} {pad + ph / 2})">{ylabel}</text>')
        return lambda x, y: (x0 + x / xmax * pw, pad + ph - y / ymax * ph)

    # RSS against pods, with issue 14's target
    fp = r["footprint"]
    ymax = max(192, (int(max(v[0] for v in fp.values()) / 64) + 1) * 64)
    at = axes(pad, "aws-k8s-agent RSS", "pods on the node", "RSS (MiB)", 120, ymax, (0, 10, 50, 110), range(0, ymax + 1, 64))
    (x1, ty), (x2, _) = at(0, 128), at(120, 128)
    out.append(f'<line x1="{x1}" y1="{ty}" x2="{x2}" y2="{ty}" stroke="#d62728" stroke-dasharray="5,4"/>')
    out.append(f'<text x="{x2 - 4}" y="{ty + 14}" text-anchor="end" fill="#d62728">target 128 MiB at 110 pods</text>')
    points = [at(lvl, v[0]) for lvl, v in fp.items()]
    out.append('<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="'
               + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
    for i, ((x, y), (lvl, (rss, threads, _, _))) in enumerate(zip(points, fp.items())):
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f77b4"/>')
        dy = -10 if i % 2 == 0 or lvl == 110 else 18  # 0 and 10 pods are close: alternate; the target's label is below
        out.append(f'<text x="{x + (6 if lvl in (0, 10) else 0):.1f}" y="{y + dy:.1f}" text-anchor="{"end" if lvl == 110 else "start" if lvl in (0, 10) else "middle"}">'
                   f'{rss:.0f} MiB, {threads} threads</text>')

    # ADD latency distribution at 110 pods, both plugins
    s = r["rounds"][110]
    ours = sorted(w for w, _ in s["ours ADD"])
    theirs = sorted(w for w, _ in s["ptp ADD"])
    xmax = max(20, (int(pct(ours + theirs, 0.97) * 1.15 / 20) + 1) * 20)  # the slowest few calls are clipped at the edge
    at = axes(2 * pad + pw, "plugin ADD wall time at 110 pods", "ms (calls beyond the edge drawn at it)",
              "share of calls at or below", xmax, 1.0,
              range(0, xmax + 1, max(10, xmax // 8 // 10 * 10)), (0, 0.25, 0.5, 0.75, 1.0))
    for name, values, colour in (("aws-cni", ours, "#d62728"), ("ptp + host-local", theirs, "#2ca02c")):
        pts, n = [], len(values)
        for i, v in enumerate(values):
            pts += [at(min(v, xmax), i / n), at(min(v, xmax), (i + 1) / n)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
        median = statistics.median(values)
        x, y = at(min(median, xmax), 0.5)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        legend_y = pad - (24 if name == "aws-cni" else 10)  # the legend between the title and the plot
        out.append(f'<text x="{2 * pad + pw + 10:.1f}" y="{legend_y}" fill="{colour}">{name}: median {median:.1f}, p90 {pct(values, 0.9):.1f} ms</text>')
    out.append(f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle" fill="#555">test/bench/node-bench.sh: the real '
               f'aws-k8s-agent on a simulated {r["instance"]}, {r["calls"]} calls of each plugin, a fresh netns per pod</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--instance-type", default="m5.4xlarge")
    parser.add_argument("--no-nmt", dest="nmt", action="store_false")
    parser.add_argument("--out", default=os.path.join(ROOT, "test", "target", "node-bench"))
    args = parser.parse_args()
    if not os.environ.get("NODE_BENCH_INSIDE"):
        sys.exit("node-bench: run test/bench/node-bench.sh (it makes the private namespaces this runs in)")
    os.makedirs("/run/netns", exist_ok=True)
    sh("mount", "-t", "tmpfs", "tmpfs", "/run/netns")
    os.makedirs(args.out, exist_ok=True)
    archive_dir = tempfile.mkdtemp(prefix="nb-archive-")
    began = time.monotonic()
    try:
        results = run_bench(args, archive_dir)
    finally:
        shutil.rmtree(archive_dir, ignore_errors=True)
    print_table(results)
    chart = os.path.join(args.out, "node-bench.svg")
    svg_chart(results, chart)
    with open(os.path.join(args.out, "node-bench.json"), "w") as f:
        json.dump(results, f, indent=1, default=str)
    print(f"\nchart: {chart}   raw figures: {os.path.join(args.out, 'node-bench.json')}   ({time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
