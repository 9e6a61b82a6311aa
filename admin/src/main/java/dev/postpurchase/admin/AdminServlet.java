package dev.postpurchase.admin;

import dev.postpurchase.admin.internal.Bodies;
import dev.postpurchase.admin.internal.Exchange;
import dev.postpurchase.admin.internal.QueryStrings;
import dev.postpurchase.admin.internal.Response;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves an {@link AdminPage} from the application's servlet container (Jakarta Servlet 6). Map it to a path with a
 * wildcard, for example {@code /admin/*}; the page is then at {@code /admin/}.
 *
 * <pre>{@code
 * ServletRegistration.Dynamic admin = servletContext.addServlet("postpurchase-admin", new AdminServlet(page));
 * admin.addMapping("/admin/*");
 * }</pre>
 */
public final class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient AdminPage page;

    public AdminServlet(AdminPage page) {
        this.page = Objects.requireNonNull(page, "page");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.isEmpty()) {
            // the page's relative links need the trailing slash
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", request.getRequestURI() + "/");
            return;
        }
        Response answer = page.handle(new ServletExchange(request));
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers()) {
            response.addHeader(header.getKey(), header.getValue());
        }
        response.setContentLength(answer.body().length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(answer.body());
        }
    }

    @Override
    public String toString() {
        return "AdminServlet[" + page + "]";
    }

    private static final class ServletExchange implements Exchange {
        private final HttpServletRequest request;

        ServletExchange(HttpServletRequest request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.getMethod().toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String path() {
            String path = request.getPathInfo();
            return path == null ? "/" : path;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(request.getHeader(name));
        }

        @Override
        public Optional<String> cookie(String name) {
            Cookie[] cookies = request.getCookies();
            if (cookies == null) {
                return Optional.empty();
            }
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return Optional.of(cookie.getValue());
                }
            }
            return Optional.empty();
        }

        @Override
        public String remoteAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return type.isInstance(request) ? Optional.of(type.cast(request)) : Optional.empty();
        }

        @Override
        public Map<String, List<String>> query() {
            // parsed here, never through getParameterMap, which would read a form body
            return QueryStrings.parse(request.getQueryString());
        }

        @Override
        public byte[] body(int limit) throws IOException {
            try (InputStream in = request.getInputStream()) {
                return Bodies.read(in, limit);
            }
        }

        @Override
        public String basePath() {
            return request.getContextPath() + request.getServletPath();
        }

        @Override
        public boolean secure() {
            return request.isSecure();
        }
    }
}
