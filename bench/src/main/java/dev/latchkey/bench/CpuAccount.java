package dev.latchkey.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a machine's CPU time went over a window, from {@code /proc}: the server process, this driver, and
 * everything else. A load driver shares the cores it measures on, so the figure only means something next
 * to what the driver itself used.
 */
final class CpuAccount {

    /** Linux's USER_HZ: /proc reports process times in these ticks. */
    private static final double TICK_MS = 10.0;

    /**
     * Process CPU times in ms and the machine's busy and total times in ms at one moment; the server's
     * kernel time, and the CPU time of each of its threads.
     */
    record Snapshot(double serverMs, double driverMs, double machineBusyMs, double machineTotalMs,
                    double serverSystemMs, Map<String, ThreadTime> serverThreads) {
    }

    /** One thread: its kind (the name without its number) and its CPU time so far. */
    record ThreadTime(String kind, double ms) {
    }

    private final long serverPid;

    CpuAccount(long serverPid) {
        this.serverPid = serverPid;
    }

    Snapshot take() {
        try {
            double[] machine = machine();
            double[] server = times(Path.of("/proc", Long.toString(serverPid), "stat"));
            double[] driver = times(Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "stat"));
            return new Snapshot(server[0] + server[1], driver[0] + driver[1], machine[0], machine[1], server[1],
                    threads(serverPid));
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or the server is gone: no account
        }
    }

    /** One line for the report, or null when either snapshot is missing. */
    static String describe(Snapshot from, Snapshot to, long roundTrips) {
        if (from == null || to == null || roundTrips == 0) {
            return null;
        }
        double server = to.serverMs() - from.serverMs();
        double driver = to.driverMs() - from.driverMs();
        double busy = to.machineBusyMs() - from.machineBusyMs();
        double total = to.machineTotalMs() - from.machineTotalMs();
        // By thread: a thread that ended within the window is missing at its end, and its time with it.
        Map<String, Double> byKind = new HashMap<>();
        to.serverThreads().forEach((tid, thread) -> {
            ThreadTime before = from.serverThreads().get(tid);
            byKind.merge(thread.kind(), thread.ms() - (before == null ? 0 : before.ms()), Double::sum);
        });
        String threads = byKind.entrySet().stream()
                .filter(e -> e.getValue() / roundTrips >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / roundTrips))
                .collect(Collectors.joining(", "));
        return String.format("CPU per round trip: server %.1f ms (kernel %.1f), driver %.1f ms, other %.1f ms;"
                        + " machine %.0f%% busy (server %.0f%%, driver %.0f%%)%nserver CPU ms per round trip by thread: %s",
                server / roundTrips, (to.serverSystemMs() - from.serverSystemMs()) / roundTrips, driver / roundTrips,
                Math.max(0, busy - server - driver) / roundTrips, 100 * busy / total, 100 * server / total,
                100 * driver / total, threads);
    }

    /** The share of the server's CPU time between two snapshots that went to its JIT compiler threads. */
    static double compilerShare(Snapshot from, Snapshot to) {
        double server = to.serverMs() - from.serverMs();
        double compilers = 0;
        for (Map.Entry<String, ThreadTime> thread : to.serverThreads().entrySet()) {
            if (thread.getValue().kind().contains("CompilerThre")) {
                ThreadTime before = from.serverThreads().get(thread.getKey());
                compilers += thread.getValue().ms() - (before == null ? 0 : before.ms());
            }
        }
        return server <= 0 ? 0 : compilers / server;
    }

    /** {user ms, system ms} from a /proc stat file, of a process or of one of its threads. */
    private static double[] times(Path stat) throws IOException {
        String line = Files.readString(stat);
        // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th
        // field of the line, stime the 15th, so the 12th and 13th after the closing parenthesis.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return new double[]{Long.parseLong(fields[11]) * TICK_MS, Long.parseLong(fields[12]) * TICK_MS};
    }

    /** Each thread of a process by its id, with its kind and CPU ms. */
    private static Map<String, ThreadTime> threads(long pid) throws IOException {
        Map<String, ThreadTime> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[#\\-]?\\d+$", "");
                    double[] t = times(task.resolve("stat"));
                    threads.put(task.getFileName().toString(), new ThreadTime(name, t[0] + t[1]));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return threads;
    }

    /** {busy, total} for all cores together, from the first line of /proc/stat. */
    private static double[] machine() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        return new double[]{(total - idle) * TICK_MS, total * TICK_MS};
    }
}
