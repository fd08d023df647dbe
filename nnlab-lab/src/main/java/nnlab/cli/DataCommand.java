package nnlab.cli;

import java.io.PrintStream;
import nnlab.data.CatalogEntry;
import nnlab.data.Catalogue;
import nnlab.data.Datasets;

/** {@code nnlab data}: the datasets nnlab knows, and whether each is at hand. */
final class DataCommand {
    private DataCommand() {}

    static int run(Args args, PrintStream out) {
        args.rejectUnknown("data");
        args.rejectPositional("data");
        Datasets datasets = new Datasets(Datasets.standard().places().offline());
        out.println("datasets (looked up in $NNLAB_DATA, " + datasets.places().cache() + ", " + datasets.places().system()
                + ", then downloaded):");
        for (CatalogEntry e : Catalogue.ENTRIES) {
            String where;
            try {
                where = datasets.locate(e.name()).map(Object::toString).orElse("in the nnlab jar");
            } catch (RuntimeException notFound) {
                where = e.downloadable() ? "not here yet (downloaded on first use)" : "not here: " + e.howToGet();
            }
            out.printf("  %-22s %s%n  %-22s -> %s%n", e.name(), e.description(), "", where);
        }
        return 0;
    }
}
