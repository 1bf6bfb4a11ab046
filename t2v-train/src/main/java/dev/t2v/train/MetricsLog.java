package dev.t2v.train;

import dev.t2v.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code RUN/metrics.csv}, one row per optimiser step (and a row for step 0 with the untrained model's validation
 * loss), and {@code RUN/loss.png}, the training and validation loss
 * drawn with XChart (headless). A resumed run first drops the rows after its checkpoint, so the file reads as if the
 * run had never stopped.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String CSV = "metrics.csv";
    public static final String PNG = "loss.png";
    static final String HEADER = "step,epoch,loss,val_loss,val_loss_ema,lr,grad_norm,samples_per_s,skipped";
    /** Most points drawn per series; longer runs are thinned evenly (the CSV keeps everything). */
    private static final int MAX_PLOT_POINTS = 4000;

    /**
     * One step's metrics.
     *
     * @param epoch fractional epochs done (cursor epoch + position / batches per epoch)
     * @param valLoss {@code null} when not validated at this step
     */
    public record Row(long step, double epoch, double loss, Double valLoss, Double valLossEma, double lr,
            double gradNorm, double samplesPerSecond, long skipped) {
        String toCsv() {
            return String.format(Locale.ROOT, "%d,%.4f,%s,%s,%s,%.6g,%s,%.3f,%d", step, epoch, num(loss), num(valLoss),
                    num(valLossEma), lr, num(gradNorm), samplesPerSecond, skipped);
        }

        private static String num(Double v) {
            return v == null ? "" : Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "NaN";
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length != 9) {
                throw new IllegalArgumentException("expected 9 fields");
            }
            return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), dbl(f[2]), opt(f[3]), opt(f[4]),
                    Double.parseDouble(f[5]), dbl(f[6]), Double.parseDouble(f[7]), Long.parseLong(f[8]));
        }

        private static double dbl(String s) {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }

        private static Double opt(String s) {
            return s.isEmpty() ? null : Double.parseDouble(s);
        }
    }

    private final Path csv;
    private final Path png;
    private final List<Row> rows = new ArrayList<>();
    private BufferedWriter out;

    /**
     * Opens the log of {@code runDir}. With {@code resumedStep} &ge; 0 the existing rows up to that step are kept (a
     * half-written last line from a killed run is dropped); with -1 the file starts afresh.
     */
    public MetricsLog(Path runDir, long resumedStep) throws IOException {
        this.csv = runDir.resolve(CSV);
        this.png = runDir.resolve(PNG);
        if (resumedStep >= 0) {
            rows.addAll(read(runDir, resumedStep));
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> sb.append(r.toCsv()).append('\n'));
        AtomicFiles.writeString(csv, sb);
        out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * The rows of {@code runDir/metrics.csv} up to {@code upToStep}; an unparsable line (one cut short by a kill) is
     * skipped. No file: no rows.
     */
    public static List<Row> read(Path runDir, long upToStep) throws IOException {
        Path file = runDir.resolve(CSV);
        List<Row> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.equals(HEADER) || line.isBlank()) {
                continue;
            }
            try {
                Row r = Row.parse(line);
                if (r.step() <= upToStep) {
                    out.add(r);
                }
            } catch (IllegalArgumentException e) {
                // A line cut short by a kill: the checkpoint's rows are all before it.
            }
        }
        return out;
    }

    /** Appends a row and flushes it, so the file is current while the run goes on. */
    public void append(Row r) throws IOException {
        rows.add(r);
        out.write(r.toCsv());
        out.write('\n');
        out.flush();
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Redraws loss.png (atomically) from the rows so far; nothing is drawn before the first finite loss. */
    public void plot() throws IOException {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> vx = new ArrayList<>();
        List<Double> vy = new ArrayList<>();
        List<Double> ex = new ArrayList<>();
        List<Double> ey = new ArrayList<>();
        int stride = Math.max(1, rows.size() / MAX_PLOT_POINTS);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (i % stride == 0 && Double.isFinite(r.loss()) && r.loss() > 0) {
                x.add((double) r.step());
                y.add(r.loss());
            }
            if (r.valLoss() != null && Double.isFinite(r.valLoss()) && r.valLoss() > 0) {
                vx.add((double) r.step());
                vy.add(r.valLoss());
            }
            if (r.valLossEma() != null && Double.isFinite(r.valLossEma()) && r.valLossEma() > 0) {
                ex.add((double) r.step());
                ey.add(r.valLossEma());
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYChart chart = newChart();
        XYSeries train = chart.addSeries("training loss", x, y);
        train.setMarker(SeriesMarkers.NONE);
        if (!vx.isEmpty()) {
            chart.addSeries("validation loss", vx, vy).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!ex.isEmpty()) {
            chart.addSeries("validation loss (EMA weights)", ex, ey).setMarker(SeriesMarkers.DIAMOND);
        }
        AtomicFiles.writeStream(png, os -> BitmapEncoder.saveBitmap(chart, os, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * The empty loss chart: a log y axis labelled between decades too, since losses within one decade (0.1 to 1)
     * would otherwise show a single label, "1".
     */
    static XYChart newChart() {
        XYChart chart = new XYChartBuilder().width(900).height(540).title("t2v training loss")
                .xAxisTitle("optimiser step").yAxisTitle("loss (MSE)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
