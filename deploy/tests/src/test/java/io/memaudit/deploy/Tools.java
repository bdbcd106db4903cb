package io.memaudit.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command-line tools the deploy files are checked with. A missing tool fails the test (never
 * skips it) and names the Debian package to install; deploy/install-tools.sh installs all three.
 */
enum Tools {
    PROMTOOL("promtool", "prometheus"),
    AMTOOL("amtool", "prometheus-alertmanager"),
    DOCKER_COMPOSE("docker-compose", "docker-compose"),
    KUBECTL("kubectl", "kubernetes-client");

    private static final long TIMEOUT_SECONDS = 180;

    private final String command;
    private final String debianPackage;

    Tools(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    /** What a run printed (stdout and stderr together) and its exit status. */
    record Result(List<String> command, int exit, String output) {
        String describe() {
            return String.join(" ", command) + " exited with " + exit + ":\n" + output;
        }
    }

    /** The tool's executable on PATH; fails the test with installation advice when there is none. */
    Path executable() {
        String pathVar = System.getenv().getOrDefault("PATH", "");
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(command + " is not installed (not found on PATH). Install the Debian package '" + debianPackage
                + "': sudo apt-get install -y " + debianPackage + "  -- or run deploy/install-tools.sh, which installs"
                + " promtool (prometheus), amtool (prometheus-alertmanager), docker-compose (docker-compose) and kubectl"
                + " (kubernetes-client).");
    }

    /** Runs the tool with these arguments in the repository root. */
    Result run(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.addAll(args);
        Path out = null;
        try {
            out = Files.createTempFile("memaudit-" + command, ".out");
            Process p = new ProcessBuilder(cmd).directory(Repo.ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            List<String> shown = new ArrayList<>(List.of(command));
            shown.addAll(args);
            return new Result(shown, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    /** Runs the tool and fails the test, with everything it printed, unless it exits with 0. */
    Result runOk(List<String> args) {
        Result r = run(args);
        if (r.exit() != 0) {
            fail(r.describe());
        }
        return r;
    }
}
