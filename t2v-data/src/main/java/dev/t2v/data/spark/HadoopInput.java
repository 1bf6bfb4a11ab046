package dev.t2v.data.spark;

import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.RetrievalCsv;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An MSR-VTT-format folder on a Hadoop file system, copied piecewise into local folders that {@link MsrVttDataset}
 * reads as it reads any local folder: the driver copies the annotation files, a task the videos of its shard. Each
 * file keeps its path relative to the root, so the dataset finds it by the same rules and reports the same relative
 * paths (in bad-videos.tsv) as for the original folder.
 */
final class HadoopInput {
    private final FileSystem fs;
    private final Path root;

    private HadoopInput(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    static HadoopInput open(URI dir, Configuration conf) throws IOException {
        FileSystem fs = HadoopFs.of(dir, conf);
        Path root = fs.makeQualified(new Path(dir));
        if (!isDirectory(fs, root)) {
            throw new FileNotFoundException(root + ": not a directory (expected an MSR-VTT-format folder)");
        }
        return new HadoopInput(fs, root);
    }

    private static boolean isDirectory(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    private boolean isFile(Path p) throws IOException {
        try {
            return fs.getFileStatus(p).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /**
     * Copies every file {@link MsrVttDataset#open} may read as the annotation into {@code local} (the standard
     * locations, and the original download's two files at the root or one folder down), and the retrieval split
     * CSVs at the root or one folder down, listing no video folder.
     *
     * @return how many files were copied
     */
    int stageAnnotation(java.nio.file.Path local) throws IOException {
        List<String> candidates = new ArrayList<>(MsrVttDataset.DATA_JSON_LOCATIONS);
        candidates.add(MsrVttDataset.TRAIN_VAL_JSON);
        candidates.add(MsrVttDataset.TEST_JSON);
        List<String> dirs = new ArrayList<>(List.of(""));
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && !MsrVttDataset.VIDEO_DIRS.contains(name)) {
                candidates.add(name + "/" + MsrVttDataset.TRAIN_VAL_JSON);
                candidates.add(name + "/" + MsrVttDataset.TEST_JSON);
                dirs.add(name + "/");
            }
        }
        // The retrieval split CSVs, looked for beside the annotation and at the root
        for (String dir : dirs) {
            candidates.add(dir + RetrievalCsv.TRAIN_9K);
            candidates.add(dir + RetrievalCsv.JSFUSION_TEST);
        }
        int copied = 0;
        for (String rel : candidates) {
            if (copy(rel, local)) {
                copied++;
            }
        }
        return copied;
    }

    /**
     * Copies {@code videoId}'s file into {@code local}, from the first of {@link MsrVttDataset#VIDEO_DIRS} that
     * holds it; nothing when none does (the dataset then reports it as not found).
     */
    void stageVideo(String videoId, java.nio.file.Path local) throws IOException {
        for (String dir : MsrVttDataset.VIDEO_DIRS) {
            if (copy(dir + "/" + videoId + ".mp4", local)) {
                return;
            }
        }
    }

    /** Copies {@code root/rel} to {@code local/rel} if it is a file. */
    private boolean copy(String rel, java.nio.file.Path local) throws IOException {
        Path src = new Path(root, rel);
        if (!isFile(src)) {
            return false;
        }
        java.nio.file.Path dst = local.resolve(rel);
        Files.createDirectories(dst.getParent());
        try (FSDataInputStream in = fs.open(src)) {
            Files.copy((InputStream) in, dst, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }
}
