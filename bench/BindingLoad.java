// Load for bench/binding.sh, made with the JDK alone (run as `java bench/BindingLoad.java`): token requests at a fixed
// concurrency for a while, over one keep-alive connection pool, and the figures: tokens/s (200s), p50, p99, non-200s.
//   SCENARIO URL WARMUP SECONDS CONCURRENCY BASIC_HEADER [CERT_PEM KEY_PEM]
// WARMUP seconds of the same load first, in the same JVM (its JIT and connections warm too), not counted.
// SCENARIO: bearer (Basic), dpop (Basic plus a fresh ES256 DPoP proof per request, signed before the clock starts),
// mtls (the client_id in the form, the certificate CERT_PEM/KEY_PEM on the TLS connection; BASIC_HEADER is then the
// client_id). URL is the service's base URL (https for mtls, or for bearer over TLS); proofs name DPOP_HTU when set,
// else URL + /oauth2/token.
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class BindingLoad {

    static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        String base = args[1];
        int warmup = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        String credential = args[5];
        // The bench's own server certificate: not checked (the bench measures the service, not PKI).
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(scenario.equals("mtls") ? keyManagers(Path.of(args[6]), Path.of(args[7])) : null,
                new TrustManager[] {new AnyServer()}, null);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .sslParameters(new SSLParameters()).connectTimeout(Duration.ofSeconds(5)).build();
        URI endpoint = URI.create(base + "/oauth2/token");
        String htu = System.getenv().getOrDefault("DPOP_HTU", base + "/oauth2/token");
        // Enough fresh proofs for the whole run at a generous rate, made before the clock starts.
        ConcurrentLinkedQueue<String> proofs = new ConcurrentLinkedQueue<>();
        if (scenario.equals("dpop")) {
            KeyPair key = ecKey();
            int count = Integer.parseInt(System.getenv().getOrDefault("PROOFS", "60000"));
            for (int i = 0; i < count; i++) {
                proofs.add(proof(key, htu));
            }
        }
        run(scenario, client, endpoint, credential, proofs, warmup, concurrency);
        System.out.println(run(scenario, client, endpoint, credential, proofs, seconds, concurrency));
    }

    /** SECONDS of load: the results line. */
    static String run(String scenario, HttpClient client, URI endpoint, String credential,
            ConcurrentLinkedQueue<String> proofs, int seconds, int concurrency) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(concurrency);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger inFlight = new AtomicInteger();
        long started = System.nanoTime();
        while (System.nanoTime() < end) {
            slots.acquire();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            String body = "grant_type=client_credentials";
            if (scenario.equals("mtls")) {
                body += "&client_id=" + credential;
            } else {
                request.header("Authorization", credential);
            }
            if (scenario.equals("dpop")) {
                String proof = proofs.poll();
                if (proof == null) {
                    System.err.println("ran out of proofs: raise PROOFS");
                    slots.release();
                    break;
                }
                request.header("DPoP", proof);
            }
            long sent = System.nanoTime();
            inFlight.incrementAndGet();
            client.sendAsync(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                        if (failure == null && response.statusCode() == 200) {
                            ok.incrementAndGet();
                            latencies.add(System.nanoTime() - sent);
                        } else {
                            other.incrementAndGet();
                        }
                        inFlight.decrementAndGet();
                        slots.release();
                    });
        }
        slots.acquire(concurrency);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%s %d %.2fms %.2fms %d", scenario, Math.round(ok.get() / elapsed),
                percentile(sorted, 0.50), percentile(sorted, 0.99), other.get());
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** An RFC 9449 proof: typ dpop+jwt, ES256, the public key in jwk; jti, htm, htu, iat. */
    static String proof(KeyPair key, String htu) throws Exception {
        ECPublicKey publicKey = (ECPublicKey) key.getPublic();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + URL.encodeToString(coordinate(publicKey.getW().getAffineX()))
                + "\",\"y\":\"" + URL.encodeToString(coordinate(publicKey.getW().getAffineY())) + "\"}";
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}";
        String claims = "{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"POST\",\"htu\":\"" + htu + "\",\"iat\":"
                + System.currentTimeMillis() / 1000 + "}";
        String input = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(key.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + URL.encodeToString(signer.sign());
    }

    static byte[] coordinate(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int copy = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - copy, fixed, 32 - copy, copy);
        return fixed;
    }

    static javax.net.ssl.KeyManager[] keyManagers(Path certificatePem, Path keyPem) throws Exception {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificatePem)));
        String pem = Files.readString(keyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, new char[0]);
        return managers.getKeyManagers();
    }

    static final class AnyServer implements X509TrustManager {
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
    }
}
