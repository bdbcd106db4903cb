package io.memaudit.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the repository's own files may refer to: files the repository holds. Two checks, each
 * returning one line per problem ("path:line: what"):
 * <ul>
 *   <li>{@link #outsideReferences}: mentions of the notes on the paper, the design or the code
 *       conventions that were once kept beside the repository, and of paths that climb out of it; the
 *       method is described in docs/METHOD.md now;</li>
 *   <li>{@link #brokenLinks}: relative Markdown links whose file does not exist, that leave the
 *       repository, or whose {@code #section} is not a heading of the Markdown file they name.</li>
 * </ul>
 */
final class RepoDocs {
    /** A mention of one of the files that lived outside the repository; group 1 is its file name. */
    private static final Pattern OUTSIDE_FILE = Pattern.compile(
            "\\b(paper[-_ ]notes(?:\\.md)?|design\\.md|conventions\\.md)\\b", Pattern.CASE_INSENSITIVE);
    /** A relative path into the shared folder beside the repository. */
    private static final Pattern OUTSIDE_PATH = Pattern.compile("\\.\\./+shared/");
    /** Inline links and images, {@code [text](target "title")}; group 1 is the target. */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** Reference definitions, {@code [label]: target}. */
    private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    /** Directories that hold build output, local runs or editor state, never sources (as in .gitignore). */
    private static final Set<String> UNTRACKED_DIRS = Set.of(".git", ".idea", ".vscode", "target", "runs", "out",
            "node_modules", "__pycache__");

    private RepoDocs() {
    }

    /**
     * The repository's files, relative to {@code root}: those git tracks or would track (not ignored),
     * when git knows the directory; else every file outside build and run directories (a source tarball).
     */
    static List<Path> files(Path root) {
        List<Path> tracked = gitFiles(root);
        if (tracked != null) {
            return tracked;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(p -> {
                        for (int k = 0; k < p.getNameCount() - 1; k++) {
                            if (UNTRACKED_DIRS.contains(p.getName(k).toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static List<Path> gitFiles(Path root) {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = git.getInputStream().readAllBytes();
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return null;
            }
            List<Path> files = new ArrayList<>();
            for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
                if (!name.isEmpty() && Files.isRegularFile(root.resolve(name))) {
                    files.add(Path.of(name));
                }
            }
            return files.isEmpty() ? null : files;
        } catch (IOException e) {
            return null; // no git on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The file's text, or null when it is binary (holds a NUL byte). */
    static String text(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * References in {@code text} (the contents of {@code name}) to files outside the repository.
     *
     * @param heldNames the file names (lower case, no directory) that the repository holds: a mention of
     *                  one of those is a reference to the repository's own file, not to one outside it
     */
    static List<String> outsideReferences(String name, String text, Set<String> heldNames) {
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = OUTSIDE_FILE.matcher(lines[i]);
            while (m.find()) {
                String file = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[_ ]", "-");
                if (!heldNames.contains(file.endsWith(".md") ? file : file + ".md")) {
                    problems.add(name + ":" + (i + 1) + ": refers to '" + m.group(1) + "', a file outside the repository"
                            + " (the method is in docs/METHOD.md): " + lines[i].strip());
                }
            }
            if (OUTSIDE_PATH.matcher(lines[i]).find()) {
                problems.add(name + ":" + (i + 1) + ": a path outside the repository: " + lines[i].strip());
            }
        }
        return problems;
    }

    /** Relative links of the Markdown file {@code file} (under {@code root}) that do not resolve. */
    static List<String> brokenLinks(Path root, Path file) {
        String text = text(file);
        String name = root.relativize(file).toString();
        List<String> problems = new ArrayList<>();
        boolean fenced = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String prose = CODE_SPAN.matcher(line).replaceAll("");
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE_LINK.matcher(prose);
            while (m.find()) {
                targets.add(m.group(1));
            }
            Matcher ref = REFERENCE_LINK.matcher(prose);
            if (ref.matches()) {
                targets.add(ref.group(1));
            }
            for (String target : targets) {
                String problem = problem(root, file, target);
                if (problem != null) {
                    problems.add(name + ":" + (i + 1) + ": link " + target + ": " + problem);
                }
            }
        }
        return problems;
    }

    /** Why a link target does not resolve, or null when it does (or is not a relative link). */
    private static String problem(Path root, Path file, String target) {
        if (SCHEME.matcher(target).find()) {
            return null; // https:, mailto: … are not files of the repository
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String section = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path.replace("%20", " ")).normalize();
        if (!resolved.startsWith(root.normalize())) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file " + root.relativize(resolved);
        }
        if (section != null && !section.isEmpty() && resolved.toString().endsWith(".md")) {
            Set<String> anchors = Markdown.anchors(text(resolved));
            if (!anchors.contains(section)) {
                return "no section #" + section + " in " + root.relativize(resolved);
            }
        }
        return null;
    }
}
