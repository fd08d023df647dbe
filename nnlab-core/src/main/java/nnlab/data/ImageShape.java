package nnlab.data;

/**
 * The shape of one example when the examples are images: channels × height × width, and whether a
 * row stores its values channels-last (h, w, c), as numpy arrays of shape (n, h, w, c) do, rather
 * than channels-first (c, h, w), the layout convolutions take.
 */
public record ImageShape(int channels, int height, int width, boolean channelsLast) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image shape needs positive sizes, got " + channels + "x" + height + "x" + width);
        }
    }

    /** Values per image. */
    public int features() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + (channelsLast && channels > 1 ? " (stored channels-last)" : "");
    }
}
