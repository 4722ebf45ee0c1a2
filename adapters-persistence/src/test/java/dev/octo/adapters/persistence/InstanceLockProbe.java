package dev.octo.adapters.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child JVM by {@link InstanceLockTest}: tries to take the lock of the folder in
 * {@code args[0]} and prints the outcome. With {@code hold}, it keeps the lock until killed.
 *
 * <p>With {@code hold-unsaid}, it stands for an Octo caught between taking the lock and writing its
 * record: it takes the operating-system lock alone, prints {@code locked}, then obeys the lines of
 * its stdin: {@code write} writes its record, {@code release} releases the lock and ends.
 */
public final class InstanceLockProbe {

    private InstanceLockProbe() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length > 1 && args[1].equals("hold-unsaid")) {
            holdUnsaid(Path.of(args[0]).resolve(InstanceLock.FILE_NAME));
            return;
        }
        boolean hold = args.length > 1 && args[1].equals("hold");
        try {
            InstanceLock lock = InstanceLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            if (hold) {
                Thread.sleep(120_000);
            }
            lock.close();
        } catch (InstanceLockedException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }

    private static void holdUnsaid(Path lockFile) throws IOException {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = commands.readLine(); command != null; command = commands.readLine()) {
                switch (command) {
                    case "write" -> InstanceLock.writeHolder(channel);
                    case "release" -> {
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown command " + command);
                }
            }
        }
    }
}
