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
        return response.code() == 200 ? HttpAnswers.parseLength(response.header("Content-Length"))
                : HttpAnswers.contentRangeTotal(response.header("Content-Range"));
    }

    @Override
    public void close() {
        registration.close();
        response.close();
    }
}
