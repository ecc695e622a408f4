package io.tokenservice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, {@code docs/configuration.md}, against the code: every {@code token-service.*}
 * property the configuration mapping reads has a row, and no row names a property the mapping no longer has.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("docs", "configuration.md");
    private static final String PREFIX = "token-service.";
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** Every property of a mapping interface, as SmallRye Config names them (kebab case; a map's key as {@code <name>}). */
    static Set<String> properties(Class<?> mapping, String prefix) {
        Set<String> names = new TreeSet<>();
        for (Method method : mapping.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (isGroup(type)) {
                names.addAll(properties(type, name + "."));
            } else if (Map.class.isAssignableFrom(type)
                    && method.getGenericReturnType() instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> value && isGroup(value)) {
                names.addAll(properties(value, name + ".<name>."));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith(TokenServiceConfig.class.getName() + "$");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The properties the reference's table names: the first cell's first {@code token-service.*} name, and the
     * siblings it abbreviates as {@code .suffix} (the same parent, another last part).
     */
    static Set<String> documented(String reference) {
        Set<String> names = new TreeSet<>();
        for (String line : reference.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String cell = line.substring(2, line.indexOf(" | "));
            String base = null;
            Matcher code = CODE.matcher(cell);
            while (code.find()) {
                String name = code.group(1);
                if (base == null && name.startsWith(PREFIX)) {
                    base = name;
                    names.add(name);
                } else if (base != null && name.startsWith(".")) {
                    names.add(base.substring(0, base.lastIndexOf('.')) + name);
                }
            }
        }
        return names;
    }

    @Test
    void everyPropertyTheCodeReadsIsDocumentedAndNothingDocumentedIsGone() throws Exception {
        Set<String> code = properties(TokenServiceConfig.class, PREFIX);
        Set<String> documented = documented(Files.readString(REFERENCE));
        Set<String> undocumented = new TreeSet<>(code);
        undocumented.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(code);
        assertEquals(Set.of(), undocumented, "properties the code reads that " + REFERENCE + " does not document");
        assertEquals(Set.of(), gone, "properties " + REFERENCE + " documents that the code no longer reads");
    }

    @Test
    void theMappingIsReadAsSmallRyeNamesIt() {
        // The reading above is itself checked on names whose spelling is easy to get wrong.
        Set<String> code = properties(TokenServiceConfig.class, PREFIX);
        assertTrue(code.containsAll(Set.of("token-service.errors.rfc6749-status", "token-service.hashing.argon2-memory-kib",
                "token-service.throttle.ipv6-prefix-length", "token-service.federation.trusted-issuers.<name>.jwks-uri",
                "token-service.issuer")), code.toString());
    }
}
