package dev.hsi.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/** Uploads like a camera does, with a real FTP client (Apache Commons Net), passive mode. */
public final class Ftp {

    private final int port;
    private final String user;
    private final String password;

    public Ftp(int port, String user, String password) {
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** STOR straight to the final name. */
    public void upload(Path file, String folder, String name) {
        session(client -> store(client, file, folder, name));
    }

    /** STOR to a temporary name, then RNFR/RNTO to the final one, as many cameras do. */
    public void uploadThenRename(Path file, String folder, String name) {
        session(client -> {
            store(client, file, folder, name + ".part");
            if (!client.rename(name + ".part", name)) {
                throw new IOException("rename failed: " + client.getReplyString());
            }
        });
    }

    /** STOR to {@code temporaryName}, then at once RNFR/RNTO to {@code finalName}, in one session. */
    public void uploadThenRename(Path file, String folder, String temporaryName, String finalName) {
        session(client -> {
            store(client, file, folder, temporaryName);
            rename(client, temporaryName, finalName);
        });
    }

    /** RNFR/RNTO of a file already in {@code folder}, as a camera or a user does. */
    public void rename(String folder, String from, String to) {
        session(client -> {
            if (!client.changeWorkingDirectory(folder)) {
                throw new IOException("cannot enter " + folder + ": " + client.getReplyString());
            }
            rename(client, from, to);
        });
    }

    /** Uploads raw bytes (for files that are not what their name says). */
    public void uploadBytes(byte[] content, String folder, String name) throws IOException {
        Path temp = Files.createTempFile("hsi-upload", ".bin");
        try {
            Files.write(temp, content);
            upload(temp, folder, name);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void rename(FTPClient client, String from, String to) throws IOException {
        if (!client.rename(from, to)) {
            throw new IOException("rename of " + from + " to " + to + " failed: " + client.getReplyString());
        }
    }

    private static void store(FTPClient client, Path file, String folder, String name) throws IOException {
        client.makeDirectory(folder);
        if (!client.changeWorkingDirectory(folder)) {
            throw new IOException("cannot enter " + folder + ": " + client.getReplyString());
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!client.storeFile(name, in)) {
                throw new IOException("STOR " + name + " failed: " + client.getReplyString());
            }
        }
    }

    private interface FtpWork {
        void run(FTPClient client) throws IOException;
    }

    private void session(FtpWork work) {
        FTPClient client = new FTPClient();
        try {
            client.connect("127.0.0.1", port);
            if (!client.login(user, password)) {
                throw new IOException("login refused: " + client.getReplyString());
            }
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            work.run(client);
            client.logout();
        } catch (IOException e) {
            throw new IllegalStateException("FTP upload failed: " + e.getMessage(), e);
        } finally {
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // the session is over either way
            }
        }
    }
}
