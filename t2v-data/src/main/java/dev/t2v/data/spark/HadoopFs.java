package dev.t2v.data.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

/** Hadoop file system helpers shared by the job's input and output. */
final class HadoopFs {
    private HadoopFs() {
    }

    /**
     * The file system of {@code uri}. On the local file system, the raw one: Hadoop's default local file system
     * writes a {@code .crc} file beside each file, which would make the output differ from {@code t2v preprocess}'s.
     */
    static FileSystem of(URI uri, Configuration conf) throws IOException {
        FileSystem fs = FileSystem.get(uri, conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** {@code location/rel} ({@code rel} may be empty). */
    static org.apache.hadoop.fs.Path child(org.apache.hadoop.fs.Path location, String rel) {
        return rel.isEmpty() ? location : new org.apache.hadoop.fs.Path(location, rel);
    }
}
