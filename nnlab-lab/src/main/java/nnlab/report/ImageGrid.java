package nnlab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import nnlab.experiment.AtomicFiles;

/**
 * A PNG of small 2-D maps side by side in rows (a convolution's filters, an image's feature maps),
 * each scaled up pixel by pixel and titled. Weights are drawn diverging (blue negative, white 0, red
 * positive, one scale per row so rows compare); activations and images in grey (black 0, white the
 * row's largest).
 */
public final class ImageGrid {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** How a row's values become colours. */
    public enum Scale { DIVERGING, GREY }

    private record Row(String label, List<float[][]> maps, List<String> titles, Scale scale) {}

    private final String title;
    private final List<Row> rows = new ArrayList<>();

    public ImageGrid(String title) {
        this.title = title;
    }

    /** Adds a row of maps (each [height][width]) with a title under each. */
    public ImageGrid row(String label, List<float[][]> maps, List<String> titles, Scale scale) {
        if (maps.size() != titles.size()) throw new IllegalArgumentException(maps.size() + " maps but " + titles.size() + " titles");
        rows.add(new Row(label, maps, titles, scale));
        return this;
    }

    public String title() {
        return title;
    }

    private static final int CELL = 84, GAP = 10, LABEL = 18, HEADER = 30, LEFT = 110;

    /** Writes the grid as a PNG at {@code file} (atomically) and returns the path. */
    public Path save(Path file) {
        int columns = rows.stream().mapToInt(r -> r.maps().size()).max().orElse(1);
        int width = LEFT + columns * (CELL + GAP) + GAP, height = HEADER + rows.size() * (CELL + LABEL + GAP) + GAP;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, GAP, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int y0 = HEADER + r * (CELL + LABEL + GAP);
            g.setColor(Color.BLACK);
            g.drawString(row.label(), GAP, y0 + CELL / 2);
            float limit = 0;
            for (float[][] m : row.maps()) for (float[] line : m) for (float v : line) if (Float.isFinite(v)) limit = Math.max(limit, Math.abs(v));
            for (int c = 0; c < row.maps().size(); c++) {
                int x0 = LEFT + c * (CELL + GAP);
                draw(g, row.maps().get(c), x0, y0, limit, row.scale());
                g.setColor(Color.DARK_GRAY);
                g.drawString(row.titles().get(c), x0, y0 + CELL + 13);
            }
        }
        g.dispose();
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            AtomicFiles.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not render '" + title + "' to " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** One map scaled to fit a CELL×CELL square (whole pixels, centred), a thin frame around it. */
    private static void draw(Graphics2D g, float[][] map, int x0, int y0, float limit, Scale scale) {
        int h = map.length, w = map[0].length, pixel = Math.max(1, CELL / Math.max(h, w));
        int left = x0 + (CELL - pixel * w) / 2, top = y0 + (CELL - pixel * h) / 2;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                g.setColor(colour(map[i][j], limit, scale));
                g.fillRect(left + j * pixel, top + i * pixel, pixel, pixel);
            }
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(left - 1, top - 1, pixel * w + 1, pixel * h + 1);
    }

    static Color colour(float v, float limit, Scale scale) {
        if (!Float.isFinite(v)) return Color.MAGENTA;
        float t = limit == 0 ? 0 : Math.max(-1, Math.min(1, v / limit));
        if (scale == Scale.GREY) {
            int grey = Math.round(255 * Math.max(0, t));
            return new Color(grey, grey, grey);
        }
        int fade = Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }
}
