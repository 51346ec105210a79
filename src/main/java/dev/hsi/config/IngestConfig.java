package dev.hsi.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The FTP server cameras upload to, and the folder it (and the directory watcher) feeds. */
public record IngestConfig(
        Path basePath,
        String ftpHost,
        int ftpPort,
        String ftpPassivePorts,
        Optional<String> ftpPassiveAddress,
        List<FtpAccount> ftpAccounts,
        boolean defaultFtpAccount,
        int dedupeTtlSeconds,
        Duration fileStableTime,
        Duration watcherPollInterval) {

    public static final String FOSCAM_BASE_PATH = "FOSCAM_BASE_PATH";
    public static final String FTP_HOST = "FTP_HOST";
    public static final String FTP_PORT = "FTP_PORT";
    public static final String FTP_PASSIVE_PORTS = "FTP_PASSIVE_PORTS";
    public static final String FTP_PASSIVE_ADDRESS = "FTP_PASSIVE_ADDRESS";
    public static final String FTP_USERS = "FTP_USERS";
    public static final String DEDUPE_TTL_SECONDS = "DEDUPE_TTL_SECONDS";
    public static final String FILE_STABLE_SECONDS = "FILE_STABLE_SECONDS";
    public static final String FILE_WATCHER_POLLING_INTERVAL = "FILE_WATCHER_POLLING_INTERVAL";

    /** Used only when FTP_USERS is unset, and announced loudly at start so that nobody keeps it. */
    static final FtpAccount DEFAULT_ACCOUNT = new FtpAccount("camera", "camera");

    static IngestConfig read(EnvReader env, Path dataDir) {
        Path basePath = Path.of(env.string(FOSCAM_BASE_PATH, dataDir.resolve("foscam").toString()))
                .toAbsolutePath().normalize();
        String passivePorts = env.string(FTP_PASSIVE_PORTS, "30000-30100");
        if (!passivePorts.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            env.problem(FTP_PASSIVE_PORTS + " must be a port, a range like 30000-30100, or a comma list of them");
        }
        List<FtpAccount> accounts = readAccounts(env);
        boolean defaultAccount = accounts.isEmpty();
        return new IngestConfig(
                basePath,
                env.string(FTP_HOST, "0.0.0.0"),
                env.integer(FTP_PORT, 2121, 0, 65535),
                passivePorts,
                env.optional(FTP_PASSIVE_ADDRESS),
                defaultAccount ? List.of(DEFAULT_ACCOUNT) : accounts,
                defaultAccount,
                env.integer(DEDUPE_TTL_SECONDS, 300, 1, 86_400),
                Seconds.of(env.decimal(FILE_STABLE_SECONDS, 2.0, 0.0, 60.0)),
                Seconds.of(env.decimal(FILE_WATCHER_POLLING_INTERVAL, 0.5, 0.05, 60.0)));
    }

    /** {@code FTP_USERS=front_door:s3cret,garage:other} */
    private static List<FtpAccount> readAccounts(EnvReader env) {
        List<FtpAccount> accounts = new ArrayList<>();
        env.optional(FTP_USERS).ifPresent(raw -> {
            String[] entries = raw.split(",");
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i];
                int colon = entry.indexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    // never echo the entry: it may hold a password
                    env.problem(FTP_USERS + " entries must be user:password with both parts non-empty (entry "
                            + (i + 1) + " is not)");
                } else {
                    accounts.add(new FtpAccount(entry.substring(0, colon).trim(), entry.substring(colon + 1)));
                }
            }
        });
        return accounts;
    }
}
