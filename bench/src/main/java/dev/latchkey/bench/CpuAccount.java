package dev.latchkey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a machine's CPU time went over a window, from {@code /proc}: the server process, this driver, and
 * everything else. A load driver shares the cores it measures on, so the figure only means something next
 * to what the driver itself used.
 */
final class CpuAccount {

    /** Linux's USER_HZ: /proc reports process times in these ticks. */
    private static final double TICK_MS = 10.0;

    /** Process CPU times in ms and the machine's busy and total times in ms at one moment. */
    record Snapshot(double serverMs, double driverMs, double machineBusyMs, double machineTotalMs) {
    }

    private final long serverPid;

    CpuAccount(long serverPid) {
        this.serverPid = serverPid;
    }

    Snapshot take() {
        try {
            double[] machine = machine();
            return new Snapshot(processMs(serverPid), processMs(ProcessHandle.current().pid()), machine[0], machine[1]);
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
        return String.format("CPU per round trip: server %.1f ms, driver %.1f ms, other %.1f ms; machine %.0f%% busy"
                        + " (server %.0f%%, driver %.0f%%)", server / roundTrips, driver / roundTrips,
                Math.max(0, busy - server - driver) / roundTrips, 100 * busy / total, 100 * server / total,
                100 * driver / total);
    }

    private static double processMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th
        // field of the line, stime the 15th, so the 12th and 13th after the closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MS;
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
