package dev.hsi.config;

/** A camera's FTP login. */
public record FtpAccount(String user, String password) {

    @Override
    public String toString() {
        return "FtpAccount[" + user + "]";
    }
}
