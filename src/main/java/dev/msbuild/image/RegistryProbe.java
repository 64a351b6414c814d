package dev.msbuild.image;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Whether a registry speaks TLS at all, to tell "wrong password" from "credentials withheld over
 * plain HTTP" when a registry answers 401. The handshake trusts any certificate: it only asks
 * whether TLS is there, and sends nothing.
 */
public final class RegistryProbe {
  private RegistryProbe() {}

  public static boolean speaksTls(String registry) {
    int colon = registry.lastIndexOf(':');
    boolean hasPort = colon > 0 && registry.indexOf(']') < colon;
    String host = hasPort ? registry.substring(0, colon) : registry;
    int port = hasPort ? Integer.parseInt(registry.substring(colon + 1)) : 443;
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(host.replace("[", "").replace("]", ""), port), 2000);
        socket.setSoTimeout(2000);
        socket.startHandshake();
        return true;
      }
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static final class AnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
