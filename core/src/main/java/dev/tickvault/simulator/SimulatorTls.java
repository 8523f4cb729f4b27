package dev.tickvault.simulator;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The simulator's TLS identity: a key store (PKCS12 or JKS, e.g. made by {@code keytool -genkeypair … -ext
 * SAN=ip:127.0.0.1,dns:localhost}) holding one private key and its certificate chain. With it the simulator serves
 * {@code wss://} and {@code https://} only, like the venues; clients must trust the certificate (or its CA).
 *
 * @param keyStore the key store file
 * @param password the key store's password (also the key's, as keytool makes them)
 */
public record SimulatorTls(Path keyStore, String password) {

    public SimulatorTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
    }

    /** A server TLS context from the key store. */
    SslContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance(keyStore.toFile(), password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            return SslContextBuilder.forServer(keys)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build a TLS server context from " + keyStore + ": " + e, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the key store " + keyStore + ": " + e, e);
        }
    }
}
