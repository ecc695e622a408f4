package io.tokenservice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.Base64;

/** Writes keys the tests generate as PEM files, the way an operator's secret mount holds them. */
public final class PemFiles {

    private PemFiles() {
    }

    public static Path write(Path directory, String name, String type, Key key) {
        return write(directory, name, type, key.getEncoded());
    }

    public static Path write(Path directory, String name, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            return Files.writeString(directory.resolve(name), pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
