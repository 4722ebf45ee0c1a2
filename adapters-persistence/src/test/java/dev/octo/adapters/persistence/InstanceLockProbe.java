package dev.octo.adapters.persistence;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link InstanceLockTest}: tries to take the lock of the folder in
 * {@code args[0]} and prints the outcome. With {@code hold}, it keeps the lock until killed.
 */
public final class InstanceLockProbe {

    private InstanceLockProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
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
}
