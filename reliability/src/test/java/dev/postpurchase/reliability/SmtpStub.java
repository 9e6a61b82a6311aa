package dev.postpurchase.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on loopback for the faults GreenMail cannot show: a greeting refusing service ({@code 421}
 * or {@code 554}), or a connection dropped in the middle of the message data. After {@code dropsBeforeAccepting}
 * dropped messages it accepts the next ones.
 */
final class SmtpStub implements AutoCloseable {
    enum Mode {
        REFUSE_421,
        REFUSE_554,
        DROP_MID_MESSAGE
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "smtp-stub");
        t.setDaemon(true);
        return t;
    });
    private final Mode mode;
    private final int dropsBeforeAccepting;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    SmtpStub(Mode mode, int dropsBeforeAccepting) throws IOException {
        this.mode = mode;
        this.dropsBeforeAccepting = dropsBeforeAccepting;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int accepted() {
        return accepted.get();
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
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            if (mode == Mode.REFUSE_421) {
                send(out, "421 4.3.2 stub.test Service not available, closing channel");
                return;
            }
            if (mode == Mode.REFUSE_554) {
                send(out, "554 5.3.2 stub.test No SMTP service here");
                return;
            }
            send(out, "220 stub.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                switch (command) {
                    case "EHLO", "HELO" -> send(out, "250 stub.test");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> send(out, "250 2.0.0 OK");
                    case "DATA" -> {
                        send(out, "354 End data with <CR><LF>.<CR><LF>");
                        boolean drop = dropped.get() < dropsBeforeAccepting;
                        int lines = 0;
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            if (drop && ++lines == 5) {
                                dropped.incrementAndGet();
                                socket.setSoLinger(true, 0);
                                return;
                            }
                        }
                        accepted.incrementAndGet();
                        send(out, "250 2.0.0 queued");
                    }
                    case "QUIT" -> {
                        send(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> send(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
