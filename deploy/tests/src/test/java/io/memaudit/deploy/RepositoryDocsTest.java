package io.memaudit.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A maintainer can follow every reference: no file of the repository points at notes kept outside
 * it (the method is in docs/METHOD.md), and every relative link of its Markdown files — README,
 * docs/, the generated reports under docs/repro/, the READMEs of deploy/ and clients/ — names a file
 * that exists and, for a Markdown file, a section it has.
 */
class RepositoryDocsTest {
    private static final Path ROOT = Repo.ROOT;

    @Test
    void noFileRefersToFilesOutsideTheRepository() {
        List<Path> files = RepoDocs.files(ROOT);
        Set<String> held = files.stream().map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        int read = 0;
        for (Path file : files) {
            String text = RepoDocs.text(ROOT.resolve(file));
            if (text != null) {
                read++;
                problems.addAll(RepoDocs.outsideReferences(file.toString(), text, held));
            }
        }
        assertTrue(read > 100, "only " + read + " text files found under " + ROOT);
        assertEquals("", String.join("\n", problems), problems.size() + " reference(s) to files outside the repository");
    }

    @Test
    void everyRelativeMarkdownLinkResolves() {
        List<Path> docs = RepoDocs.files(ROOT).stream().filter(p -> p.toString().endsWith(".md")).toList();
        assertTrue(docs.containsAll(List.of(Path.of("README.md"), Path.of("docs/METHOD.md"), Path.of("docs/REPRODUCTION.md"))),
                "Markdown files found: " + docs);
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            problems.addAll(RepoDocs.brokenLinks(ROOT, ROOT.resolve(doc)));
        }
        assertEquals("", String.join("\n", problems), problems.size() + " broken link(s)");
    }

    @Test
    void theReadmeLinksTheMethod() {
        assertTrue(Repo.read("README.md").contains("](docs/METHOD.md)"), "README.md should link docs/METHOD.md");
        String method = Repo.read("docs/METHOD.md");
        assertTrue(method.contains("arXiv 2202.08099"), "docs/METHOD.md should cite the paper");
    }

    /** The checks above would catch what they are for (so that their passing means something). */
    @Test
    void outsideReferencesAreFound() {
        String notes = "paper" + "-notes.md";
        String text = String.join("\n",
                "/** Clipped as " + notes + " specifies. */",
                "// see the paper" + " notes, section 3",
                "see ../" + "shared/design" + ".md",
                "the design of the worker; conventions of the code",
                "see docs/METHOD.md");
        List<String> found = RepoDocs.outsideReferences("X.java", text, Set.of("readme.md"));
        assertEquals(4, found.size(), String.join("\n", found));
        assertTrue(found.get(0).startsWith("X.java:1: refers to '" + notes + "'"), found.get(0));
        assertTrue(found.get(1).startsWith("X.java:2: "), found.get(1));
        assertTrue(found.get(2).startsWith("X.java:3: refers to 'design" + ".md'"), found.get(2));
        assertTrue(found.get(3).startsWith("X.java:3: a path outside the repository"), found.get(3));
        // a file of that name in the repository is the repository's own
        String design = "design" + ".md";
        assertEquals(List.of(), RepoDocs.outsideReferences("Y.md", "see " + design, Set.of(design)));
    }

    /** Without git (a source tarball) the checks read every file but build output and local runs. */
    @Test
    void withoutGitEveryFileButBuildOutputIsRead(@TempDir Path tmp) throws IOException {
        for (String f : List.of("README.md", ".ci/run", "docs/A.md", "common/target/x.md", "runs/r1/notes.md", ".git/HEAD")) {
            Files.createDirectories(tmp.resolve(f).getParent());
            Files.writeString(tmp.resolve(f), "x");
        }
        assertEquals(List.of(Path.of(".ci/run"), Path.of("README.md"), Path.of("docs/A.md")), RepoDocs.files(tmp));
    }

    @Test
    void brokenLinksAreFound(@TempDir Path tmp) throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/A.md"), "# A\n\n## The verdict for a run\n");
        Files.writeString(tmp.resolve("outside.md"), "# outside\n");
        Path readme = Files.writeString(repo.resolve("README.md"), String.join("\n",
                "# Title",
                "[ok](docs/A.md) and [ok section](docs/A.md#the-verdict-for-a-run), [here](#title), [web](https://example.org/x.md)",
                "[missing](docs/B.md)",
                "[bad section](docs/A.md#the-verdict)",
                "![img](docs/plot.png)",
                "[outside](../outside.md)",
                "`[in code](docs/C.md)`",
                "```",
                "[in a fence](docs/D.md)",
                "```",
                "[ref]: docs/E.md"));
        List<String> found = RepoDocs.brokenLinks(repo, readme);
        assertEquals(List.of(
                "README.md:3: link docs/B.md: no such file docs/B.md",
                "README.md:4: link docs/A.md#the-verdict: no section #the-verdict in docs/A.md",
                "README.md:5: link docs/plot.png: no such file docs/plot.png",
                "README.md:6: link ../outside.md: leaves the repository",
                "README.md:11: link docs/E.md: no such file docs/E.md"), found);
    }
}
