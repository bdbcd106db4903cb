package io.memaudit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's help, as a newcomer reads it at 80 and at 120 columns. */
class HelpTest {
    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().stream().filter(s -> s.getParent() == cl).forEach(s -> out.addAll(all(s)));
        return out;
    }

    private static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w, true));
        return w.toString();
    }

    @Test
    void helpFitsTheWidthAndNamesValuesNotJavaFields() {
        for (int width : List.of(80, 120)) {
            for (CommandLine cl : all(Main.commandLine(width))) {
                String name = cl.getCommandSpec().qualifiedName();
                String help = usage(cl);
                for (String line : help.split("\n")) {
                    assertTrue(line.length() <= width, name + " at " + width + " columns: a line of " + line.length() + ":\n" + line);
                }
                assertFalse(help.matches("(?s).*=<[a-z][A-Za-z0-9]*>.*"), name + ": an option value named by its Java field:\n" + help);
            }
        }
    }

    @Test
    void commandListsShowWholeSentences() {
        for (CommandLine cl : all(Main.commandLine(80))) {
            if (cl.getCommandSpec().usageMessage().header().length == 0) {
                continue; // the help command's own
            }
            String header = cl.getCommandSpec().usageMessage().header()[0];
            assertTrue(header.endsWith("."), cl.getCommandSpec().qualifiedName() + ": the header is cut: " + header);
            assertTrue(header.length() <= 110, cl.getCommandSpec().qualifiedName() + ": a header of " + header.length() + " characters: " + header);
        }
        String top = usage(Main.commandLine(80));
        assertTrue(top.contains("train") && top.contains("Trains a reference model"), top);
    }

    @Test
    void aParseErrorIsTwoLinesNotTheWholeUsage() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(80);
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("score", "--checkpint=x");
        assertEquals(Errors.BAD_INPUT, code);
        String text = err.toString();
        assertTrue(text.startsWith("memaudit score: error: Unknown option: '--checkpint=x'"), text);
        assertTrue(text.contains("--checkpoint"), "a suggestion: " + text);
        assertTrue(text.contains("Run 'memaudit score --help'"), text);
        assertTrue(text.split("\n").length <= 5, text);
    }

    /** The value's type, boxed, and a list by its elements: {@code --canaries 1} and {@code --canaries 0,1} mean the same. */
    private static String kind(CommandLine.Model.OptionSpec o) {
        Class<?> t = o.auxiliaryTypes().length > 0 && java.util.Collection.class.isAssignableFrom(o.type()) ? o.auxiliaryTypes()[0] : o.type();
        return java.lang.invoke.MethodType.methodType(t).wrap().returnType().getSimpleName();
    }

    /** One meaning per option name: wherever an option appears, its value is named (and typed) alike. */
    @Test
    void everyOptionNameMeansOneThing() {
        java.util.Map<String, java.util.Set<String>> meanings = new java.util.TreeMap<>();
        for (CommandLine cl : all(Main.commandLine(80))) {
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                meanings.computeIfAbsent(o.longestName(), k -> new java.util.TreeSet<>())
                        .add(o.paramLabel() + " " + kind(o) + " (" + cl.getCommandSpec().qualifiedName() + ")");
            }
        }
        List<String> ambiguous = new ArrayList<>();
        meanings.forEach((name, uses) -> {
            if (uses.stream().map(u -> u.substring(0, u.indexOf(" ("))).distinct().count() > 1) {
                ambiguous.add(name + ": " + uses);
            }
        });
        assertEquals(List.of(), ambiguous);
    }
}
