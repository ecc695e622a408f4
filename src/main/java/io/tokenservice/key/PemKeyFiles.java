package io.tokenservice.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
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
            KeyFactory factory = KeyFactory.getInstance(algorithm.keyType());
            PrivateKey privateKey = factory.generatePrivate(
                    new PKCS8EncodedKeySpec(decode(privateKeyFile, "PRIVATE KEY")));
            PublicKey publicKey = factory.generatePublic(
                    new X509EncodedKeySpec(decode(publicKeyFile, "PUBLIC KEY")));
            requireStrength(algorithm, privateKey);
            requirePair(algorithm, privateKey, publicKey);
            return SigningKey.of(algorithm, privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key files " + privateKeyFile + " and " + publicKeyFile
                    + " do not hold a " + algorithm + " (" + algorithm.keyType() + ") key pair", e);
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

    private static void requireStrength(SigningAlgorithm algorithm, PrivateKey key) {
        // RFC 7518 §3.3: RSA keys of 2048 bits or larger MUST be used.
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new IllegalStateException("RSA signing keys must have at least 2048 bits");
        }
        // RFC 7518 §3.4: ES256 is ECDSA on P-256.
        if (key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalStateException(algorithm + " needs a P-256 key");
        }
    }

    private static void requirePair(SigningAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        String jca = algorithm == SigningAlgorithm.ES256 ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "token-service key pair check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(jca);
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(jca);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("the public key file does not match the private key file");
        }
    }
}
