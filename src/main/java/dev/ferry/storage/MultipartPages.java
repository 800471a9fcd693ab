package dev.ferry.storage;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;

/** The paged listings of multipart uploads (ListParts, ListMultipartUploads), followed to their last page. */
public final class MultipartPages {
    private MultipartPages() {
    }

    /** One page of ListParts; {@code nextMarker} is null on the last. */
    public record Parts(List<UploadedPart> parts, Integer nextMarker) {
        public Parts {
            parts = List.copyOf(parts);
        }
    }

    /** One page of ListMultipartUploads; {@code nextKeyMarker} is null on the last. */
    public record Uploads(List<MultipartUpload> uploads, String nextKeyMarker, String nextUploadIdMarker) {
        public Uploads {
            uploads = List.copyOf(uploads);
        }
    }

    /** Fetches the page of parts after {@code marker} (null: the first page). */
    @FunctionalInterface
    public interface PartsFetch {
        Parts page(Integer marker) throws StoreException, InterruptedIOException;
    }

    /** Fetches the page of uploads after {@code previous}'s markers (null: the first page). */
    @FunctionalInterface
    public interface UploadsFetch {
        Uploads page(Uploads previous) throws StoreException, InterruptedIOException;
    }

    /** Every part, page after page; a server whose marker does not move forward is refused. */
    public static List<UploadedPart> allParts(PartsFetch fetch) throws StoreException, InterruptedIOException {
        List<UploadedPart> all = new ArrayList<>();
        Integer marker = null;
        do {
            Parts page = fetch.page(marker);
            all.addAll(page.parts());
            if (page.nextMarker() != null && marker != null && page.nextMarker() <= marker) {
                throw StoreException.noProgress("ListParts");
            }
            marker = page.nextMarker();
        } while (marker != null);
        return all;
    }

    /** Every upload, page after page; a server that names the same markers twice is refused. */
    public static List<MultipartUpload> allUploads(UploadsFetch fetch) throws StoreException, InterruptedIOException {
        List<MultipartUpload> all = new ArrayList<>();
        Uploads page = null;
        do {
            Uploads next = fetch.page(page);
            all.addAll(next.uploads());
            if (page != null && next.nextKeyMarker() != null && next.nextKeyMarker().equals(page.nextKeyMarker())
                    && Objects.equals(next.nextUploadIdMarker(), page.nextUploadIdMarker())) {
                throw StoreException.noProgress("ListMultipartUploads");
            }
            page = next;
        } while (page.nextKeyMarker() != null);
        return all;
    }
}
