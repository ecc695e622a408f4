package io.tokenservice.testing;

import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the tests make for themselves (no key is committed): a certificate authority, certificates it
 * issues to servers and clients, and self-signed client certificates; as PEM files for HAProxy and the service, and
 * as TLS contexts for clients.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** A TLS client context presenting this certificate, trusting any server (the tests' own). */
        public SSLContext clientContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
                KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                managers.init(store, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(managers.getKeyManagers(), new TrustManager[] {ANY_SERVER}, RANDOM);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** The certificate as PEM. */
        public String pem() {
            return TestPki.pem(certificate);
        }

        /** The certificate followed by its private key, as HAProxy's crt file holds them. */
        public Path writeWithKey(Path file) throws Exception {
            return Files.writeString(file, pem() + "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        }
    }

    private final Issued authority;

    private TestPki(Issued authority) {
        this.authority = authority;
    }

    /** A new certificate authority. */
    public static TestPki authority(String name) throws Exception {
        KeyPair keys = ecKeys();
        X500Name subject = rfc4514("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new TestPki(new Issued(sign(builder, keys.getPrivate()), keys));
    }

    /** A new certificate authority that may only issue certificates for DNS names under {@code domain}. */
    public static TestPki constrainedAuthority(String name, String domain) throws Exception {
        KeyPair keys = ecKeys();
        X500Name subject = rfc4514("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.nameConstraints, true, new org.bouncycastle.asn1.x509.NameConstraints(
                        new org.bouncycastle.asn1.x509.GeneralSubtree[] {new org.bouncycastle.asn1.x509.GeneralSubtree(dns(domain))},
                        null));
        return new TestPki(new Issued(sign(builder, keys.getPrivate()), keys));
    }

    /** An intermediate authority of this one. */
    public TestPki intermediate(String name) throws Exception {
        KeyPair keys = ecKeys();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))),
                rfc4514("CN=" + name), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        return new TestPki(new Issued(sign(builder, authority.keys().getPrivate()), keys));
    }

    public X509Certificate certificate() {
        return authority.certificate();
    }

    /** Writes the authority's certificate as a PEM file. */
    public Path writeCertificate(Path file) throws Exception {
        return Files.writeString(file, pem(authority.certificate()));
    }

    /** A certificate of this authority for {@code subjectDn}, with these subject alternative names. */
    public Issued issue(String subjectDn, GeneralName... alternativeNames) throws Exception {
        return issue(subjectDn, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), alternativeNames);
    }

    /** The same, valid from {@code notBefore} to {@code notAfter}. */
    public Issued issue(String subjectDn, Instant notBefore, Instant notAfter, GeneralName... alternativeNames)
            throws Exception {
        KeyPair keys = ecKeys();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), rfc4514(subjectDn), keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        if (alternativeNames.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
        }
        return new Issued(sign(builder, authority.keys().getPrivate()), keys);
    }

    /** A self-signed client certificate of a new key. */
    public static Issued selfSigned(String subjectDn) throws Exception {
        KeyPair keys = ecKeys();
        X500Name subject = rfc4514(subjectDn);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(1))), subject,
                keys.getPublic());
        return new Issued(sign(builder, keys.getPrivate()), keys);
    }

    /** A DN as RFC 4514 writes it (BouncyCastle's own strings read the other way round). */
    private static X500Name rfc4514(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static GeneralName uri(String uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    }

    public static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                    certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    /** A chain as a list, the certificate first. */
    public static List<X509Certificate> chain(X509Certificate... certificates) {
        return new ArrayList<>(List.of(certificates));
    }

    private static final X509ExtendedTrustManager ANY_SERVER = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
