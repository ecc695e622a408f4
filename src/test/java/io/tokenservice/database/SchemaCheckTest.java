package io.tokenservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {

    @Test
    void theRequiredVersionIsTheHighestMigrationThisBuildShips() throws IOException {
        Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
        java.util.List<String> files;
        try (Stream<Path> listed = Files.list(Path.of("src/main/resources/db/migration"))) {
            files = listed.map(file -> file.getFileName().toString()).toList();
        }
        // SchemaCheck compares whole numbers: a dotted version (V8_1) would need it changed.
        for (String file : files) {
            assertTrue(name.matcher(file).matches(), file + " is not V<number>__<description>.sql");
        }
        int highest = files.stream().map(name::matcher).filter(Matcher::matches)
                .mapToInt(matcher -> Integer.parseInt(matcher.group(1))).max().orElseThrow();
        assertEquals(highest, SchemaCheck.REQUIRED_VERSION, "a new migration must raise SchemaCheck.REQUIRED_VERSION");
    }

    @Test
    void aCurrentOrNewerSchemaServes() {
        assertNull(SchemaCheck.verdict(SchemaCheck.REQUIRED_VERSION));
        assertNull(SchemaCheck.verdict(SchemaCheck.REQUIRED_VERSION + 1));
    }

    @Test
    void anOlderSchemaIsRefusedWithBothVersionsAndTheWayOut() {
        String verdict = SchemaCheck.verdict(SchemaCheck.REQUIRED_VERSION - 1);
        assertTrue(verdict.contains("at version " + (SchemaCheck.REQUIRED_VERSION - 1)), verdict);
        assertTrue(verdict.contains("version " + SchemaCheck.REQUIRED_VERSION + " this build needs"), verdict);
        assertTrue(verdict.contains("quarkus-run.jar migrate"), verdict);
    }

    @Test
    void noSchemaAtAllIsRefused() {
        assertTrue(SchemaCheck.verdict(0).startsWith("The database has no token-service schema yet"));
    }
}
