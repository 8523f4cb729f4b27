package dev.tickvault.feed.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA certificates a client trusts instead of the JDK's default trust store ({@link
 * TransportConfig#trustedCertificates()}): read from a PEM (one or more {@code -----BEGIN CERTIFICATE-----} blocks) or
 * DER file into an in-memory trust store. The same trust serves the WebSocket client (Netty) and REST requests (the
 * JDK's {@link java.net.http.HttpClient}, through {@link #sslContext}).
 *
 * <p>Immutable after construction; safe to share.
 */
public final class TrustedCertificates {

    private final Path file;
    private final TrustManagerFactory trustManagers;

    private TrustedCertificates(Path file, TrustManagerFactory trustManagers) {
        this.file = file;
        this.trustManagers = trustManagers;
    }

    /**
     * Reads the certificates in {@code file}.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no X.509 certificate (the message names it)
     */
    public static TrustedCertificates load(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted certificates from " + file + ": " + e, e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + file);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate c : certificates) {
                if (!(c instanceof X509Certificate)) {
                    throw new IllegalArgumentException("not an X.509 certificate in " + file);
                }
                store.setCertificateEntry("trusted-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new TrustedCertificates(file, factory);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a trust store from " + file + ": " + e, e);
        }
    }

    public Path file() {
        return file;
    }

    /** For Netty's {@code SslContextBuilder.trustManager}. */
    public TrustManagerFactory trustManagerFactory() {
        return trustManagers;
    }

    /** A TLS context trusting these certificates only, for {@code HttpClient.Builder.sslContext}. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise a TLS context with " + file, e);
        }
    }
}
