package nnlab.cli;

/** The {@code nnlab} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("nnlab " + String.join(" ", args));
    }
}
