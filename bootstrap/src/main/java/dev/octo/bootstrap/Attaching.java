package dev.octo.bootstrap;

import dev.octo.adapters.cli.socket.AttachedConsole;
import dev.octo.adapters.cli.socket.SocketClient;
import dev.octo.adapters.persistence.InstanceLockedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second {@code octo} on a state folder whose Octo runs: it attaches to that Octo over its socket
 * as one more terminal, rather than being refused. Only when nothing answers there is it refused.
 */
final class Attaching {

    private Attaching() {
    }

    static int attach(OctoConfig config, InstanceLockedException locked, InputStream stdin, PrintStream stdout,
            PrintStream stderr) {
        Path socket = config.octoDir().resolve(SocketServing.FILE_NAME);
        SocketClient client;
        try {
            client = SocketClient.connect(socket);
        } catch (SocketClient.RefusedException e) {
            stderr.println(e.getMessage());
            return Octo.EXIT_LOCKED;
        } catch (IOException e) {
            // an Octo without a socket (one that could not open it) still holds the folder
            stderr.println("octo: " + locked.getMessage());
            return Octo.EXIT_LOCKED;
        }
        String gone = "octo: the Octo serving " + config.octoDir() + " went away";
        boolean program = stdin == System.in;
        // in a program the console may be blocked reading input: it ends there; a test's run returns instead
        Runnable whenGone = program ? () -> {
            stdout.flush();
            System.exit(AttachedConsole.EXIT_SERVER_GONE);
        } : () -> { };
        try (client) {
            AttachedConsole console = new AttachedConsole(client, gone, whenGone);
            if (program && Octo.isInteractive()) {
                return console.runOnSystemTerminal(config.octoDir().resolve("history"));
            }
            return console.runPlain(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), stdout,
                    stderr);
        } catch (IOException e) {
            stderr.println(gone);
            return AttachedConsole.EXIT_SERVER_GONE;
        }
    }
}
