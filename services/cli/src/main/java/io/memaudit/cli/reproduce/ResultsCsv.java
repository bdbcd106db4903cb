package io.memaudit.cli.reproduce;

import io.memaudit.cli.report.CsvWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The study's one CSV. A model's rows are appended in one write and forced to disk; its last row is
 * {@link Scores#WALL_SECONDS}, so a model is complete exactly when that row is there. Opening an existing
 * file drops what a killed run left: a torn last line and the rows of models without that row.
 */
public final class ResultsCsv {
    private static final String CRLF = "\r\n";

    private final Path file;
    private final List<ResultRow> rows;

    private ResultsCsv(Path file, List<ResultRow> rows) {
        this.file = file;
        this.rows = rows;
    }

    /** Opens (or creates) the CSV, keeping only complete models' rows. */
    public static ResultsCsv open(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, CsvWriter.formatRecord(ResultRow.HEADER) + CRLF, StandardCharsets.UTF_8);
            return new ResultsCsv(file, new ArrayList<>());
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<ResultRow> all = parse(file, text);
        Set<String> complete = completeRuns(all);
        List<ResultRow> kept = new ArrayList<>(all.stream().filter(r -> complete.contains(r.cell().runId())).toList());
        if (kept.size() != all.size() || !text.endsWith(CRLF)) {
            CsvWriter.write(file, ResultRow.HEADER, kept.stream().map(ResultRow::fields).toList());
        }
        return new ResultsCsv(file, kept);
    }

    /** Reads a finished CSV (for reports): every complete model's rows. */
    public static List<ResultRow> read(Path file) throws IOException {
        List<ResultRow> all = parse(file, Files.readString(file, StandardCharsets.UTF_8));
        Set<String> complete = completeRuns(all);
        return all.stream().filter(r -> complete.contains(r.cell().runId())).toList();
    }

    public Path file() { return file; }

    public List<ResultRow> rows() { return List.copyOf(rows); }

    /** Run ids whose rows are complete. */
    public Set<String> completeRuns() { return completeRuns(rows); }

    /** Appends one model's rows (the last must be its wall time) and forces them to disk. */
    public void appendModel(List<ResultRow> modelRows) throws IOException {
        if (modelRows.isEmpty() || !modelRows.get(modelRows.size() - 1).score().equals(Scores.WALL_SECONDS)) {
            throw new IllegalArgumentException("a model's rows must end with its " + Scores.WALL_SECONDS + " row");
        }
        StringBuilder sb = new StringBuilder();
        for (ResultRow r : modelRows) {
            sb.append(CsvWriter.formatRecord(r.fields())).append(CRLF);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        rows.addAll(modelRows);
    }

    /** Removes a model's rows (a twin that must be redone for new sibling sets). */
    public void dropModel(String runId) throws IOException {
        if (rows.removeIf(r -> r.cell().runId().equals(runId))) {
            CsvWriter.write(file, ResultRow.HEADER, rows.stream().map(ResultRow::fields).toList());
        }
    }

    private static Set<String> completeRuns(List<ResultRow> rows) {
        Set<String> done = new LinkedHashSet<>();
        rows.stream().filter(r -> r.score().equals(Scores.WALL_SECONDS)).forEach(r -> done.add(r.cell().runId()));
        return done;
    }

    /** Complete CRLF-terminated records after the header; a torn last line is ignored. */
    private static List<ResultRow> parse(Path file, String text) {
        List<ResultRow> out = new ArrayList<>();
        String[] lines = text.split(CRLF, -1);
        if (lines.length == 0 || !lines[0].equals(CsvWriter.formatRecord(ResultRow.HEADER))) {
            throw new IllegalArgumentException(file + " is not a results file of this version: its header differs");
        }
        for (int i = 1; i < lines.length - 1; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            try {
                out.add(ResultRow.parse(split(lines[i])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One RFC 4180 record (fields may be quoted, with doubled inner quotes). */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields;
    }
}
