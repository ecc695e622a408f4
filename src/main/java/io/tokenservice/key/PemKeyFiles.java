package io.tokenservice.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a signing key pair from PEM files, the form in which Kubernetes mounts a secret: the private key as
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, RFC 5958) and the public key as SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}, RFC 5280). Throws {@link IllegalStateException} naming the file and the problem,
 * never the key material, when a file is unreadable, of the wrong kind, too weak, or not half of one pair.
 */
final class PemKeyFiles {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeyFiles() {
    }

    static SigningKey read(SigningAlgorithm algorithm, Path privateKeyFile, Path publicKeyFile) {
        try {
            return SigningKey.decode(algorithm, decode(privateKeyFile, "PRIVATE KEY"), decode(publicKeyFile, "PUBLIC KEY"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key files " + privateKeyFile + " and " + publicKeyFile
                    + " do not hold a " + algorithm + " (" + algorithm.keyAlgorithm() + ") key pair", e);
        }
    }

    private static byte[] decode(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw new IllegalStateException("key file " + file + " holds no PEM block");
        }
        if (!pem.group(1).equals(type)) {
            throw new IllegalStateException("key file " + file + " holds '" + pem.group(1) + "', expected '" + type
                    + "'" + (type.equals("PRIVATE KEY")
                            ? " (convert with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out new.pem)"
                            : " (extract with: openssl pkey -in private.pem -pubout -out public.pem)"));
        }
        return Base64.getMimeDecoder().decode(pem.group(2));
    }
}
