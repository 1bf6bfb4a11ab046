/**
 * MSR-VTT annotations in their real formats ({@code MSRVTT_data.json}, {@code train_val_videodatainfo.json},
 * {@code test_videodatainfo.json}, the retrieval CSVs) and {@link dev.t2v.data.msrvtt.MsrVttDataset}, a folder of
 * videos with captions and official or 9k / 1k-A splits. Malformed files fail with an
 * {@link dev.t2v.data.msrvtt.AnnotationFormatException} naming the file, the JSON path or line, and what was expected.
 */
package dev.t2v.data.msrvtt;
