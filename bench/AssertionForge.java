// Client assertions for bench/assertions.sh, made with the JDK alone (run as `java bench/AssertionForge.java`):
//   keys DIR                          an RSA 2048 and an EC P-256 key pair: DIR/{rsa,ec}.key (PKCS#8), DIR/{rsa,ec}.jwks
//   bodies DIR ALG AUD COUNT IDS...   COUNT token-request bodies with private_key_jwt assertions (ALG RS256 or ES256,
//                                     a fresh jti each), cycling through the client ids IDS, one body per line
//   federated DIR ISS AUD SUBJECT     one RS256 token of issuer ISS about SUBJECT, as a projected service-account token
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

public class AssertionForge {

    static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "keys" -> keys(dir);
            case "bodies" -> bodies(dir, args[2], args[3], Integer.parseInt(args[4]), Arrays.copyOfRange(args, 5, args.length));
            case "federated" -> System.out.println(federated(dir, args[2], args[3], args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void keys(Path dir) throws Exception {
        Files.createDirectories(dir);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaPair = rsa.generateKeyPair();
        RSAPublicKey rsaPublic = (RSAPublicKey) rsaPair.getPublic();
        Files.write(dir.resolve("rsa.key"), rsaPair.getPrivate().getEncoded());
        Files.writeString(dir.resolve("rsa.jwks"), "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\""
                + URL.encodeToString(unsigned(rsaPublic.getModulus().toByteArray(), 256)) + "\",\"e\":\""
                + URL.encodeToString(rsaPublic.getPublicExponent().toByteArray()) + "\"}]}");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecPair = ec.generateKeyPair();
        ECPublicKey ecPublic = (ECPublicKey) ecPair.getPublic();
        Files.write(dir.resolve("ec.key"), ecPair.getPrivate().getEncoded());
        Files.writeString(dir.resolve("ec.jwks"), "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec-1\",\"x\":\""
                + URL.encodeToString(unsigned(ecPublic.getW().getAffineX().toByteArray(), 32)) + "\",\"y\":\""
                + URL.encodeToString(unsigned(ecPublic.getW().getAffineY().toByteArray(), 32)) + "\"}]}");
    }

    static void bodies(Path dir, String alg, String aud, int count, String[] ids) throws Exception {
        boolean rs = alg.equals("RS256");
        PrivateKey key = privateKey(dir, rs);
        Signature signer = Signature.getInstance(rs ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        StringBuilder out = new StringBuilder();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < count; i++) {
            String id = ids[i % ids.length];
            String claims = "{\"iss\":\"" + id + "\",\"sub\":\"" + id + "\",\"aud\":\"" + aud + "\",\"iat\":" + now
                    + ",\"exp\":" + (now + 3000) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
            out.append("grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
                    + "client-assertion-type%3Ajwt-bearer&client_assertion=")
                    .append(jws(signer, key, alg, rs ? "rsa-1" : "ec-1", claims)).append('\n');
        }
        System.out.print(out);
    }

    static String federated(Path dir, String iss, String aud, String subject) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iss\":\"" + iss + "\",\"sub\":\"" + subject + "\",\"aud\":[\"" + aud + "\"],\"iat\":" + now
                + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        return jws(Signature.getInstance("SHA256withRSA"), privateKey(dir, true), "RS256", "rsa-1", claims);
    }

    static String jws(Signature signer, PrivateKey key, String alg, String kid, String claims) throws Exception {
        String input = URL.encodeToString(("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}")
                .getBytes(StandardCharsets.UTF_8)) + "." + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + URL.encodeToString(signer.sign());
    }

    static PrivateKey privateKey(Path dir, boolean rsa) throws Exception {
        return KeyFactory.getInstance(rsa ? "RSA" : "EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve(rsa ? "rsa.key" : "ec.key"))));
    }

    /** A big-endian magnitude of exactly {@code length} bytes: no sign byte, left-padded with zeros. */
    static byte[] unsigned(byte[] twosComplement, int length) {
        byte[] out = new byte[length];
        int copy = Math.min(length, twosComplement.length);
        System.arraycopy(twosComplement, twosComplement.length - copy, out, length - copy, copy);
        return out;
    }
}
