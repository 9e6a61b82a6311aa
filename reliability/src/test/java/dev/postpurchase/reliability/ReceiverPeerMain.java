package dev.postpurchase.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * The misbehaving receivers of {@link ReceiverFaultsTest}, one MockWebServer per scenario, in a JVM of their own so
 * that the test's thread and file-descriptor counts are the SDK's alone. Prints {@code <scenario> <port>} per
 * receiver, then {@code ready}; answers {@code count <scenario>} on standard input with the requests received; exits
 * when standard input closes.
 */
public final class ReceiverPeerMain {
    private ReceiverPeerMain() {}

    public static void main(String[] args) throws IOException {
        Logger.getLogger(MockWebServer.class.getName()).setLevel(Level.OFF);
        Map<String, MockWebServer> servers = new LinkedHashMap<>();
        for (ReceiverFaultsTest.Scenario scenario : ReceiverFaultsTest.SCENARIOS) {
            MockWebServer server = new MockWebServer();
            Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
            SocketPolicy startPolicy = scenario.responseForAttempt().apply(1).getSocketPolicy();
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String id = request.getHeader("webhook-id");
                    int n = attemptsById
                            .computeIfAbsent(id == null ? "?" : id, k -> new AtomicInteger())
                            .incrementAndGet();
                    return scenario.responseForAttempt().apply(n);
                }

                /** Read when a connection opens: where DISCONNECT_AT_START takes effect. */
                @Override
                public MockResponse peek() {
                    return new MockResponse().setSocketPolicy(startPolicy);
                }
            });
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            servers.put(scenario.name(), server);
            System.out.println(scenario.name() + " " + server.getPort());
        }
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("count ")) {
                MockWebServer server = servers.get(line.substring(6));
                System.out.println("count " + (server == null ? -1 : server.getRequestCount()));
                System.out.flush();
            }
        }
        System.exit(0);
    }

    /** A running receiver process. */
    record Peer(Process process, Map<String, Integer> ports, BufferedReader out, PrintWriter in)
            implements AutoCloseable {

        /** Requests the receiver of {@code scenario} has received so far. */
        synchronized int requests(String scenario) throws IOException {
            in.println("count " + scenario);
            in.flush();
            String answer = out.readLine();
            return Integer.parseInt(answer.substring(6));
        }

        @Override
        public void close() {
            in.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Starts the receivers and waits until they are listening. */
    static Peer launch() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        ReceiverPeerMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Map<String, Integer> ports = new LinkedHashMap<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            String[] parts = line.split(" ");
            ports.put(parts[0], Integer.parseInt(parts[1]));
        }
        if (line == null) {
            throw new AssertionError("the receiver process exited before it was ready");
        }
        return new Peer(
                process,
                ports,
                out,
                new PrintWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)));
    }
}
