package dev.ferry.storage.http;

import java.nio.channels.ReadableByteChannel;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.RangeBody;
import okhttp3.Call;
import okhttp3.Response;

/** A GET body whose in-flight read is aborted when the transfer's signal is cancelled. */
public final class OkRangeBody implements RangeBody {
    private final Response response;
    private final long start;
    private final long length;
    private final CancelSignal.Registration registration;

    public OkRangeBody(Call call, Response response, long start, long length, CancelSignal cancel) {
        this.response = response;
        this.start = start;
        this.length = length;
        this.registration = cancel.register(call::cancel);
    }

    @Override
    public long start() {
        return start;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public ReadableByteChannel channel() {
        return response.body().source();
    }

    @Override
    public String etag() {
        return response.header("ETag");
    }

    @Override
    public long objectSize() {
        if (response.code() == 200) {
            return parseLength(response.header("Content-Length"));
        }
        String cr = response.header("Content-Range");
        int slash = cr == null ? -1 : cr.lastIndexOf('/');
        return slash < 0 ? -1 : parseLength(cr.substring(slash + 1).strip());
    }

    private static long parseLength(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException unknown) {
            return -1; // "*" or garbage: the answer does not say
        }
    }

    @Override
    public void close() {
        registration.close();
        response.close();
    }
}
