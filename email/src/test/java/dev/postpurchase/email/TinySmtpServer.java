package dev.postpurchase.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on a random local port, for the replies GreenMail cannot give: a recipient rejected with
 * 550, a 4xx deferral, a 421 greeting, a connection dropped after every message.
 */
final class TinySmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private volatile String greeting = "220 tiny.test ESMTP ready";
    private volatile String rcptReply = "250 2.1.5 OK";
    private volatile boolean closeAfterMessage;
    private volatile boolean silent;

    TinySmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    TinySmtpServer greeting(String value) {
        this.greeting = value;
        return this;
    }

    TinySmtpServer rcptReply(String value) {
        this.rcptReply = value;
        return this;
    }

    TinySmtpServer closeAfterMessage(boolean value) {
        this.closeAfterMessage = value;
        return this;
    }

    /** Accepts connections and never answers. */
    TinySmtpServer silent(boolean value) {
        this.silent = value;
        return this;
    }

    int connections() {
        return connections.get();
    }

    List<String> messages() {
        return messages;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                threads.submit(() -> handle(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            if (silent) {
                while (in.readLine() != null) {
                    // say nothing until the client gives up
                }
                return;
            }
            reply(out, greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-tiny.test\r\n250 HELP");
                    case "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "RCPT" -> reply(out, rcptReply);
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        StringBuilder data = new StringBuilder();
                        String dataLine;
                        while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                            data.append(dataLine).append("\r\n");
                        }
                        messages.add(data.toString());
                        reply(out, "250 2.0.0 queued");
                        if (closeAfterMessage) {
                            return;
                        }
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
