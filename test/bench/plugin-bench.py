#!/usr/bin/env python3
"""Whole-process timing of the aws-cni plugin beside Debian's Go ptp + host-local, in one run.

Runs, alternating, N calls each of: our ADD, DEL and VERSION (against the daemon's real gRPC server and
real pod wiring over an in-memory pool), ptp+host-local ADD, DEL and VERSION (real veth wiring), each ADD
in a fresh netns, and a JDK 25 hello world started with the plugin's own runtime, flags and an AOT cache
of its own. Prints medians, p90 and CPU time per call (user + system,
from wait4), and the ratios the targets are stated in.

Needs root; it re-executes itself inside a private network and mount namespace, so nothing it creates
reaches the host. Build first: ./mvnw -B -DskipTests install

usage: test/bench/plugin-bench.py [--runs N]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLUGIN = os.path.join(ROOT, "cni-plugin", "target", "dist", "aws-cni")
PLUGIN_D = PLUGIN + ".d"
CNI_BIN = "/usr/lib/cni"
JDK = os.environ.get("BENCH_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64")


def run(argv, env, stdin):
    """One exec; returns (wall ms, cpu ms, exit code, stdout)."""
    start = time.perf_counter_ns()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, _ = p.communicate(stdin.encode())
    # communicate() reaped it; rusage of the child comes from the RUSAGE_CHILDREN delta below.
    wall = (time.perf_counter_ns() - start) / 1e6
    return wall, p.returncode, out.decode()


def timed(argv, env, stdin):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, rc, out = run(argv, env, stdin)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    return wall, cpu, rc, out


def launcher_flags():
    with open(PLUGIN) as f:
        text = f.read()
    line = [l for l in text.splitlines() if l.startswith("exec ")][0]
    return [t for t in line.split() if t.startswith("-X") and not t.startswith(("-XX:AOTCache", "-Xlog")) or t.startswith("-D")]


def hello_world(work):
    """A hello world jar and its AOT cache, trained with the plugin's runtime and flags."""
    src = os.path.join(work, "Hello.java")
    with open(src, "w") as f:
        f.write('public class Hello { public static void main(String[] a) { System.out.println("{}"); } }\n')
    subprocess.run([os.path.join(JDK, "bin", "javac"), "--release", "25", "-d", work, src], check=True)
    jar = os.path.join(work, "hello.jar")
    subprocess.run([os.path.join(JDK, "bin", "jar"), "cfe", jar, "Hello", "-C", work, "Hello.class"], check=True)
    java = os.path.join(PLUGIN_D, "jre", "bin", "java")
    flags = launcher_flags()
    aot = os.path.join(work, "hello.aot")
    subprocess.run([java, *flags, "-XX:AOTCacheOutput=" + aot, "-Xlog:disable", "-cp", jar, "Hello"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [java, *flags, "-XX:AOTCache=" + aot, "-Xlog:disable", "-Xlog:all=warning:stderr", "-cp", jar, "Hello"]


def summarize(name, samples):
    walls = sorted(s[0] for s in samples)
    cpus = [s[1] for s in samples]
    p90 = walls[min(len(walls) - 1, int(round(0.9 * (len(walls) - 1))))]
    return {"name": name, "n": len(walls), "median": statistics.median(walls), "p90": p90,
            "cpu": statistics.mean(cpus)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("plugin-bench: needs root (network namespaces)")
    if not os.environ.get("BENCH_INSIDE"):
        os.execvp("unshare", ["unshare", "--net", "--mount", "--propagation", "private", "env", "BENCH_INSIDE=1",
                              sys.executable, *sys.argv])
    for path in (PLUGIN, os.path.join(CNI_BIN, "ptp"), os.path.join(CNI_BIN, "host-local")):
        if not os.path.exists(path):
            sys.exit(f"plugin-bench: {path} is missing (build with ./mvnw -B -DskipTests install; "
                     "apt-get install containernetworking-plugins)")
    os.makedirs("/run/netns", exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run/netns"], check=True)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    work = tempfile.mkdtemp(prefix="plugin-bench.")
    socket = os.path.join(work, "ipamd.sock")
    with open(os.path.join(ROOT, "test", "target", "test-classpath.txt")) as f:
        classpath = os.path.join(ROOT, "test", "target", "test-classes") + ":" + f.read().strip()
    daemon_log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([os.path.join(JDK, "bin", "java"), "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                               "io.vpccni.test.bench.BenchDaemon", socket], stdout=daemon_log, stderr=subprocess.STDOUT)
    while not os.path.exists(socket):
        if daemon.poll() is not None:
            sys.exit("plugin-bench: the bench daemon exited; see " + daemon_log.name)
        time.sleep(0.05)
    try:
        hello = hello_world(work)
        ours_conf = json.dumps({"cniVersion": "1.0.0", "name": "aws-cni", "type": "aws-cni", "mtu": "9001",
                                "vethPrefix": "eni", "pluginLogFile": os.path.join(work, "plugin.log"),
                                "ipamdSocket": socket})
        ptp_conf = json.dumps({"cniVersion": "1.0.0", "name": "bench", "type": "ptp", "ipMasq": False,
                               "ipam": {"type": "host-local", "subnet": "10.200.0.0/16",
                                        "dataDir": os.path.join(work, "host-local")}})
        base = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_IFNAME": "eth0", "CNI_PATH": CNI_BIN,
                "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=pod"}
        samples = {k: [] for k in ("aws-cni ADD", "aws-cni DEL", "aws-cni VERSION", "ptp ADD", "ptp DEL", "ptp VERSION",
                                   "hello world")}
        ptp = os.path.join(CNI_BIN, "ptp")
        warmup = 10  # rounds that warm the page cache and the daemon's JIT, then are dropped
        for i in range(args.runs + warmup):
            keep = i >= warmup
            ns_ours, ns_ptp = f"ours-{i}", f"ptp-{i}"
            subprocess.run(["ip", "netns", "add", ns_ours], check=True)
            subprocess.run(["ip", "netns", "add", ns_ptp], check=True)
            calls = [
                ("aws-cni ADD", [PLUGIN], {"CNI_COMMAND": "ADD", "CNI_CONTAINERID": f"c{i}", "CNI_NETNS": "/run/netns/" + ns_ours}, ours_conf),
                ("ptp ADD", [ptp], {"CNI_COMMAND": "ADD", "CNI_CONTAINERID": f"c{i}", "CNI_NETNS": "/run/netns/" + ns_ptp}, ptp_conf),
                ("hello world", hello, {}, ""),
                ("aws-cni VERSION", [PLUGIN], {"CNI_COMMAND": "VERSION"}, '{"cniVersion":"1.0.0"}'),
                ("ptp VERSION", [ptp], {"CNI_COMMAND": "VERSION"}, '{"cniVersion":"1.0.0"}'),
                ("aws-cni DEL", [PLUGIN], {"CNI_COMMAND": "DEL", "CNI_CONTAINERID": f"c{i}", "CNI_NETNS": "/run/netns/" + ns_ours}, ours_conf),
                ("ptp DEL", [ptp], {"CNI_COMMAND": "DEL", "CNI_CONTAINERID": f"c{i}", "CNI_NETNS": "/run/netns/" + ns_ptp}, ptp_conf),
            ]
            for name, argv, extra, stdin in calls:
                wall, cpu, rc, out = timed(argv, {**base, **extra}, stdin)
                if rc != 0:
                    sys.exit(f"plugin-bench: {name} failed (exit {rc}): {out}")
                if keep:
                    samples[name].append((wall, cpu))
            subprocess.run(["ip", "netns", "del", ns_ours], check=True)
            subprocess.run(["ip", "netns", "del", ns_ptp], check=True)

        rows = {name: summarize(name, s) for name, s in samples.items()}
        print(f"| call | runs | median ms | p90 ms | CPU ms/call |")
        print(f"|---|---|---|---|---|")
        for r in rows.values():
            print(f"| {r['name']} | {r['n']} | {r['median']:.1f} | {r['p90']:.1f} | {r['cpu']:.1f} |")
        ratio = lambda a, b: rows[a]["median"] / rows[b]["median"]
        print()
        print(f"aws-cni ADD / ptp ADD median:          {ratio('aws-cni ADD', 'ptp ADD'):.2f}x (target <= 4)")
        print(f"aws-cni ADD / hello world median:      {ratio('aws-cni ADD', 'hello world'):.2f}x (target <= 1.3)")
        print(f"aws-cni VERSION / hello world median:  {ratio('aws-cni VERSION', 'hello world'):.2f}x (target <= 1.2)")
    finally:
        daemon.terminate()
        daemon.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
