package dev.tickvault.testing;

import dev.tickvault.simulator.SimulatorTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for the simulator's TLS listener, made at test time with the JDK's {@code keytool} (an EC
 * P-256 key; subject alternative names {@code 127.0.0.1} and {@code localhost}, so host name checks pass): the key
 * store the simulator serves from, and the certificate as PEM for the client to trust.
 *
 * @param serverTls the simulator's key store
 * @param certificatePem the certificate, PEM: what a client configured with it trusts
 */
public record TestCertificates(SimulatorTls serverTls, Path certificatePem) {

    private static final String PASSWORD = "tickvault-test";

    /** Makes a new key and certificate in {@code dir}. */
    public static TestCertificates create(Path dir, String name) throws IOException, InterruptedException {
        Path keyStore = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=tickvault simulator " + name,
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                name,
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                pem.toString());
        return new TestCertificates(new SimulatorTls(keyStore, PASSWORD), pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
