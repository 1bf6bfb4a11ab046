package dev.t2v.data.spark;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.preprocess.OutputStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * An {@link OutputStore} on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, ...). A write goes to
 * {@code .NAME.<random>.tmp} beside the target, is synced, and is renamed over the target: atomic on HDFS and local
 * disks. On object stores (S3) a rename is a copy, whose target object still appears whole or not at all.
 */
final class HadoopOutputStore implements OutputStore {
    private final FileSystem fs;
    private final Configuration conf;
    private final Path root;

    private HadoopOutputStore(FileSystem fs, Configuration conf, Path root) {
        this.fs = fs;
        this.conf = conf;
        this.root = root;
    }

    static HadoopOutputStore open(URI dir, Configuration conf) throws IOException {
        FileSystem fs = HadoopFs.of(dir, conf);
        return new HadoopOutputStore(fs, conf, fs.makeQualified(new Path(dir)));
    }

    private Path path(String rel) {
        return HadoopFs.child(root, rel);
    }

    @Override
    public String location() {
        return "file".equals(root.toUri().getScheme()) ? root.toUri().getPath() : root.toString();
    }

    @Override
    public SortedMap<String, Long> list(String dir) throws IOException {
        SortedMap<String, Long> out = new TreeMap<>();
        FileStatus[] entries;
        try {
            entries = fs.listStatus(path(dir));
        } catch (FileNotFoundException e) {
            return out;
        }
        for (FileStatus s : entries) {
            if (s.isFile()) {
                String name = s.getPath().getName();
                out.put(dir.isEmpty() ? name : dir + "/" + name, s.getLen());
            }
        }
        return out;
    }

    @Override
    public long size(String rel) throws IOException {
        try {
            FileStatus s = fs.getFileStatus(path(rel));
            return s.isFile() ? s.getLen() : -1;
        } catch (FileNotFoundException e) {
            return -1;
        }
    }

    @Override
    public InputStream open(String rel) throws IOException {
        return fs.open(path(rel));
    }

    @Override
    public void write(String rel, byte[] bytes) throws IOException {
        publish(rel, out -> out.write(bytes));
    }

    @Override
    public void writeVia(String rel, AtomicFiles.PathBody body) throws IOException {
        java.nio.file.Path dir = Files.createTempDirectory("t2v-upload-");
        java.nio.file.Path local = dir.resolve(path(rel).getName());
        try {
            body.writeTo(local);
            publish(rel, out -> {
                try (InputStream in = Files.newInputStream(local)) {
                    in.transferTo(out);
                }
            });
        } finally {
            Files.deleteIfExists(local);
            Files.deleteIfExists(dir);
        }
    }

    private interface Body {
        void writeTo(FSDataOutputStream out) throws IOException;
    }

    /** Writes a temp file beside the target, syncs it, and renames it over the target. */
    private void publish(String rel, Body body) throws IOException {
        Path target = path(rel);
        Path tmp = new Path(target.getParent(), "." + target.getName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        boolean renamed = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                body.writeTo(out);
                out.hsync();
            }
            // FileSystem.rename replaces a file on local disks but refuses to on HDFS, where FileContext's OVERWRITE
            // rename is the atomic replacement.
            renamed = fs.rename(tmp, target);
            if (!renamed) {
                FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
                renamed = true;
            }
        } finally {
            if (!renamed) {
                fs.delete(tmp, false);
            }
        }
    }

    @Override
    public void delete(String rel) throws IOException {
        fs.delete(path(rel), false);
    }
}
