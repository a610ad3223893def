package io.zdl.test.kafka;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2 token endpoint and its JWKS on loopback, as an identity provider (Okta, Azure AD, Confluent Cloud's
 * OIDC) serves them: {@code POST /token} answers any client-credentials request with an RS256 JWT for
 * {@link KafkaAuth#USER}, valid 5 minutes; {@code GET /jwks} publishes the public key the broker checks it with.
 * The RSA key pair is made at start with {@code java.security}.
 */
public final class OidcServer implements AutoCloseable {
  private static final String KID = "zdl-test-key";
  private static final String HEADER_JSON = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
  /** The first part of every token it issues: a test that scans for secrets looks for it. */
  public static final String JWT_HEADER = b64(HEADER_JSON);
  private final HttpServer server;
  private final KeyPair keys;
  private final AtomicInteger tokens = new AtomicInteger();

  private OidcServer(HttpServer server, KeyPair keys) {
    this.server = server;
    this.keys = keys;
  }

  public static OidcServer start() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      HttpServer http = HttpServer.create(new InetSocketAddress(io.zdl.test.process.ChildJvm.LOOPBACK, 0), 0);
      OidcServer s = new OidcServer(http, g.generateKeyPair());
      http.createContext("/token", ex -> {
        ex.getRequestBody().readAllBytes();
        s.tokens.incrementAndGet();
        respond(ex, "{\"access_token\":\"" + s.jwt() + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
      });
      http.createContext("/jwks", ex -> respond(ex, s.jwks()));
      http.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String tokenEndpoint() {
    return "http://" + io.zdl.test.process.ChildJvm.LOOPBACK + ":" + server.getAddress().getPort() + "/token";
  }

  public String jwksEndpoint() {
    return "http://" + io.zdl.test.process.ChildJvm.LOOPBACK + ":" + server.getAddress().getPort() + "/jwks";
  }

  /** How many tokens the endpoint handed out. */
  public int tokensIssued() {
    return tokens.get();
  }

  private String jwt() {
    long now = System.currentTimeMillis() / 1000;
    String header = JWT_HEADER;
    String claims = b64("{\"sub\":\"" + KafkaAuth.USER + "\",\"iat\":" + now + ",\"exp\":" + (now + 300)
        + ",\"scope\":\"kafka\"}");
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(keys.getPrivate());
      rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String jwks() {
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"n\":\""
        + unsigned(pub.getModulus()) + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}";
  }

  private static String unsigned(BigInteger i) {
    byte[] b = i.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
