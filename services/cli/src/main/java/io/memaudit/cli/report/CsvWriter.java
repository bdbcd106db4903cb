package io.memaudit.cli.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes a table as CSV (RFC 4180): comma-separated, CRLF line ends, a field quoted with double
 * quotes when it contains a comma, a double quote, CR or LF, and inner quotes doubled. Null
 * becomes an empty field; other values use {@link String#valueOf(Object)} (locale-free, so
 * doubles always use a dot). The file is written to a temporary file beside the target and moved
 * into place, so a reader never sees half a table.
 */
public final class CsvWriter {
    private static final String CRLF = "\r\n";

    private CsvWriter() {
    }

    /**
     * Writes header and rows to {@code target}, replacing it; creates missing parent directories.
     *
     * @throws IllegalArgumentException when a row's length differs from the header's
     */
    public static void write(Path target, List<String> header, List<? extends List<?>> rows) throws IOException {
        Objects.requireNonNull(header, "header");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new IllegalArgumentException(target + ": row " + i + " has " + rows.get(i).size()
                        + " fields, the header has " + header.size());
            }
        }
        writeAtomically(target, toCsv(header, rows));
    }

    /** The whole table as one CSV string, each record ended by CRLF. */
    public static String toCsv(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(formatRecord(header)).append(CRLF);
        for (List<?> row : rows) {
            sb.append(formatRecord(row)).append(CRLF);
        }
        return sb.toString();
    }

    /** One record without its line end. */
    public static String formatRecord(List<?> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i) == null ? "" : String.valueOf(fields.get(i))));
        }
        return sb.toString();
    }

    /** The field as it appears in the file: quoted only when it has to be. */
    public static String quote(String field) {
        boolean needsQuotes = field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0;
        return needsQuotes ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newSibling(target);
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(content);
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty hidden file next to {@code target} to write into before the rename. Created like any
     * other file (permissions from the umask, e.g. 0644), not with createTempFile's owner-only 0600:
     * after the rename it is the user's output file, which others on the machine may need to read.
     */
    static Path newSibling(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom
                    .current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Atomic rename where the file system allows it, a plain replace otherwise. */
    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
