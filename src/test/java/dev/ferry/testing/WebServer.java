package dev.ferry.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * A real web server on loopback (embedded Jetty) serving the files of one folder as a static file server does:
 * byte ranges, strong ETags, Last-Modified, If-Range and If-Match. It records every request and counts the body
 * bytes it sends, and can demand a {@code ?token=} (answering 403 like an expired presigned link otherwise)
 * and add a Content-Disposition header.
 */
public final class WebServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Seen(String method, String path, String query, String range, String ifRange, String ifMatch,
                       String authorization) {
    }

    private final Server server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile String requiredToken;
    private volatile String contentDisposition;
    private volatile long bytesPerSecond;

    private WebServer(Path root, boolean ranges) throws Exception {
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ResourceHandler files = new ResourceHandler() {
            // no content cache: a replaced file is served as replaced at once, as nginx serves it
            @Override
            protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
                return new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), pool);
            }
        };
        files.setBaseResource(ResourceFactory.of(files).newResource(root));
        files.setDirAllowed(false);
        files.setEtags(true);
        files.setAcceptRanges(ranges);
        files.setUseFileMapping(false);
        server.setHandler(new Recording(files));
        server.start();
    }

    /** Serves {@code root} with byte ranges. */
    public static WebServer serve(Path root) throws Exception {
        return new WebServer(root, true);
    }

    /** Serves {@code root} the way a server without range support does: every GET gets the whole file. */
    public static WebServer serveWithoutRanges(Path root) throws Exception {
        return new WebServer(root, false);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://127.0.0.1:port/<path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + "/" + path;
    }

    /** From now on only requests with {@code ?token=<token>} are served (null: all are). */
    public void requireToken(String token) {
        requiredToken = token;
    }

    /** A Content-Disposition header for every file answer (null: none). */
    public void contentDisposition(String value) {
        contentDisposition = value;
    }

    /**
     * Sends every answer at most this fast (0: as fast as it can), so a transfer is still under way when a test
     * acts, and little of it waits in socket buffers when connections are dropped.
     */
    public void slowTo(long bytesPerSecondPerAnswer) {
        bytesPerSecond = bytesPerSecondPerAnswer;
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** The GETs that carried a Range header. */
    public List<Seen> rangedGets() {
        return seen.stream().filter(s -> s.method().equals("GET") && s.range() != null).toList();
    }

    /** Body bytes sent so far (all answers). */
    public long bodyBytes() {
        return bodyBytes.get();
    }

    /** Closes every open connection, as a server restart or a network drop does. */
    public void dropConnections() {
        for (var endPoint : ((ServerConnector) server.getConnectors()[0]).getConnectedEndPoints()) {
            endPoint.close();
        }
    }

    public void reset() {
        seen.clear();
        bodyBytes.set(0);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class Recording extends Handler.Wrapper {
        Recording(Handler files) {
            super(files);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            var h = request.getHeaders();
            seen.add(new Seen(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                    h.get(HttpHeader.RANGE), h.get(HttpHeader.IF_RANGE), h.get(HttpHeader.IF_MATCH),
                    h.get(HttpHeader.AUTHORIZATION)));
            String token = requiredToken;
            if (token != null) {
                Fields query = Request.extractQueryParameters(request);
                if (!token.equals(query.getValue("token"))) {
                    response.setStatus(403);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
                    response.write(true, ByteBuffer.wrap(("<?xml version=\"1.0\"?><Error><Code>AccessDenied"
                            + "</Code><Message>Request has expired</Message></Error>").getBytes()), callback);
                    return true;
                }
            }
            String disposition = contentDisposition;
            if (disposition != null) {
                response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, disposition);
            }
            return super.handle(request, new Counting(request, response), callback);
        }
    }

    private final class Counting extends Response.Wrapper {
        Counting(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (content != null) {
                bodyBytes.addAndGet(content.remaining());
                long rate = bytesPerSecond;
                if (rate > 0) {
                    try {
                        Thread.sleep(content.remaining() * 1000L / rate);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            super.write(last, content, callback);
        }
    }
}
