package io.memaudit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How every command's help reads, applied once to the whole command tree so a new command gets it
 * too: the width of the terminal ({@code COLUMNS}, else 80), a one-sentence header for the command
 * lists, descriptions as paragraphs picocli wraps at that width (not lines wrapped by hand, which
 * picocli would wrap again), option values named in capitals rather than by their Java field, and
 * a parse error as two lines instead of the error buried under the whole usage.
 */
final class HelpStyle {
    static final int DEFAULT_WIDTH = 80;

    private HelpStyle() { }

    static void apply(CommandLine cl, int width) {
        cl.setUsageHelpWidth(width);
        cl.setParameterExceptionHandler(HelpStyle::parseError);
        style(cl, width);
    }

    /** The usage width: {@code COLUMNS} when it is a number between 60 and 200, else 80. */
    static int width(String columns) {
        try {
            int w = Integer.parseInt(columns == null ? "" : columns.strip());
            return Math.max(60, Math.min(200, w));
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    private static void style(CommandLine cl, int width) {
        CommandSpec spec = cl.getCommandSpec();
        String[] description = spec.usageMessage().description();
        if (description.length > 0) {
            List<String> paragraphs = paragraphs(description);
            if (spec.usageMessage().header().length == 0) {
                spec.usageMessage().header(firstSentence(paragraphs.get(0)));
            }
            spec.usageMessage().description(wrapAll(paragraphs, width));
        }
        // the header is the line in the parent's command list; the command's own help starts with its usage
        List<String> sections = new ArrayList<>(cl.getHelpSectionKeys());
        sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
        cl.setHelpSectionKeys(sections);
        for (OptionSpec o : new ArrayList<>(spec.options())) {
            if (o.group() != null) {
                continue; // picocli cannot replace an option of a group (score's --checkpoint | --run | --model): written with care
            }
            String label = o.arity().max() > 0 && o.paramLabel().startsWith("<") ? label(o.longestName()) : o.paramLabel();
            String[] lines = wrapAll(paragraphs(o.description()), width - OPTION_DESCRIPTION_INDENT);
            spec.remove(o);
            spec.addOption(o.toBuilder().paramLabel(label).description(lines).build());
        }
        cl.getSubcommands().values().stream().filter(sub -> sub.getParent() == cl).forEach(sub -> style(sub, width));
    }

    /**
     * Where picocli starts an option's description, plus its continuation indent and a margin. Lines
     * are wrapped here, at spaces only: picocli's own wrapping also breaks inside paths and URIs
     * ({@code s3:} | {@code //BUCKET}, {@code ~/.} | {@code cache}).
     */
    static final int OPTION_DESCRIPTION_INDENT = 33;

    /** Each paragraph wrapped at spaces to {@code columns}, as separate lines. */
    static String[] wrapAll(List<String> paragraphs, int columns) {
        List<String> out = new ArrayList<>();
        for (String p : paragraphs) {
            StringBuilder line = new StringBuilder();
            for (String word : p.split(" ")) {
                if (!line.isEmpty() && line.length() + 1 + word.length() > columns) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "" : " ").append(word);
            }
            out.add(line.toString());
        }
        return out.toArray(String[]::new);
    }

    /** Description lines wrapped by hand joined into paragraphs (a line that ends a sentence ends nothing else). */
    static List<String> paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!p.isEmpty()) {
                    out.add(p.toString());
                    p.setLength(0);
                }
                continue;
            }
            p.append(p.isEmpty() ? "" : " ").append(line.strip());
        }
        if (!p.isEmpty()) {
            out.add(p.toString());
        }
        return out;
    }

    /** Up to the first full stop followed by a space (or the end): the command lists show this much. */
    static String firstSentence(String paragraph) {
        int dot = paragraph.indexOf(". ");
        String s = dot < 0 ? paragraph : paragraph.substring(0, dot + 1);
        // a colon that introduces details ends the summary too
        int colon = s.indexOf(": ");
        return colon > 20 ? s.substring(0, colon) + "." : s;
    }

    /** {@code --batch-size} → {@code BATCH_SIZE}. */
    static String label(String longName) {
        return longName.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static int parseError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for its options.");
        err.flush();
        return Errors.BAD_INPUT;
    }
}
