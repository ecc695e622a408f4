package io.tokenservice.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Stock OAuth clients on Node.js (src/test/node/&lt;project&gt;), unmodified, each a script that prints its result as
 * one JSON line: installed from their lock file on first use, skipped where Node.js is missing (never in CI).
 */
public final class NodeClients {

    private NodeClients() {
    }

    /** Runs {@code script} of the project with these arguments: its last output line, as JSON; fails on a non-zero exit. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> run(String project, String script, String... arguments) throws Exception {
        Path dir = Path.of("src", "test", "node", project);
        boolean node = new ProcessBuilder("node", "--version").start().waitFor() == 0;
        Assumptions.assumeTrue(node || "true".equals(System.getenv("CI")), "Node.js is not installed");
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            // Never inheritIO here: the forked test JVM's stdin and stdout are Surefire's command and event channels.
            File log = new File("target/npm-ci-" + project + ".log");
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log).start();
            assertTrue(install.waitFor(300, TimeUnit.SECONDS) && install.exitValue() == 0, "npm ci failed; see " + log);
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        Process run = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0, output);
        return new ObjectMapper().readValue(output.lines().reduce((first, last) -> last).orElseThrow(), Map.class);
    }
}
