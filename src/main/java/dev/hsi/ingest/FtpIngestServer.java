package dev.hsi.ingest;

import dev.hsi.config.FtpAccount;
import dev.hsi.config.IngestConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.impl.DefaultFtpSession;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FTP server cameras upload to. Its callbacks report the exact moment an upload is complete: the end of a
 * STOR, or the rename many cameras do after uploading under a temporary name. No polling, no fixed sleeps. A rename
 * is reported twice: before the file moves (the ingest stage records where an upload goes) and after.
 */
final class FtpIngestServer {

    private static final Logger LOG = LoggerFactory.getLogger(FtpIngestServer.class);
    private static final String LISTENER = "default";
    /** Session attribute: a rename between its RNTO's start and end (the server forgets RNFR's file before the end). */
    private static final String RENAME_IN_PROGRESS = "hsi.rename-in-progress";

    /** What the ingest stage does about renames; both run on FTP threads. */
    interface RenameListener {

        /** Before the file moves; returns once the ingest stage is ready for it, with the content's hash or null. */
        String renaming(Path from, Path to);

        /** After RNTO: whether the file moved, with what {@link #renaming} returned. */
        void renamed(Path from, Path to, String sha256, boolean moved);
    }

    private record Rename(Path from, Path to, String sha256) {
    }

    private final IngestConfig config;
    private final Consumer<Path> onFileComplete;
    private final RenameListener renames;
    private final Set<Path> uploading = ConcurrentHashMap.newKeySet();
    private FtpServer server;

    FtpIngestServer(IngestConfig config, Consumer<Path> onFileComplete, RenameListener renames) {
        this.config = config;
        this.onFileComplete = onFileComplete;
        this.renames = renames;
    }

    /** Blocking: binds the control port. */
    void start() throws FtpException {
        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener(LISTENER, listener());
        for (FtpAccount account : config.ftpAccounts()) {
            factory.getUserManager().save(user(account));
        }
        Map<String, Ftplet> ftplets = new HashMap<>(); // mutable: FtpServer writes to it on stop
        ftplets.put("hsi-ingest", new UploadCompleteFtplet());
        factory.setFtplets(ftplets);
        server = factory.createServer();
        server.start();
        LOG.info("FTP server listening on {}:{} (passive ports {}) for {} account(s)",
                config.ftpHost(), port(), config.ftpPassivePorts(), config.ftpAccounts().size());
    }

    int port() {
        Listener listener = ((DefaultFtpServer) server).getListener(LISTENER);
        return listener.getPort();
    }

    /** True while a client is still writing this file: the directory watcher leaves it to us. */
    boolean isUploading(Path file) {
        return uploading.contains(file.toAbsolutePath().normalize());
    }

    void stop() {
        if (server != null && !server.isStopped()) {
            server.stop();
        }
    }

    private org.apache.ftpserver.listener.Listener listener() {
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress(config.ftpHost());
        listener.setPort(config.ftpPort());
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassivePorts(config.ftpPassivePorts());
        config.ftpPassiveAddress().ifPresent(data::setPassiveExternalAddress);
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        return listener.createListener();
    }

    private BaseUser user(FtpAccount account) {
        BaseUser user = new BaseUser();
        user.setName(account.user());
        user.setPassword(account.password());
        user.setHomeDirectory(config.basePath().toString());
        List<Authority> authorities = new ArrayList<>();
        authorities.add(new WritePermission());
        authorities.add(new ConcurrentLoginPermission(0, 0));
        user.setAuthorities(authorities);
        return user;
    }

    /** The file on disk behind an FTP path, resolved by the server's own file system view (it confines users). */
    private static Path resolve(FtpSession session, String ftpPath) throws FtpException {
        Object physical = session.getFileSystemView().getFile(ftpPath).getPhysicalFile();
        return ((java.io.File) physical).toPath().toAbsolutePath().normalize();
    }

    /** Runs on FTP server threads: only records state and hands the path over. */
    private final class UploadCompleteFtplet extends DefaultFtplet {

        @Override
        public FtpletResult onUploadStart(FtpSession session, FtpRequest request) throws FtpException, IOException {
            uploading.add(resolve(session, request.getArgument()));
            return FtpletResult.DEFAULT;
        }

        /** RNTO, before the file moves (RNFR named it): the ingest stage records where an upload is going. */
        @Override
        public FtpletResult onRenameStart(FtpSession session, FtpRequest request) throws FtpException, IOException {
            FtpFile source = session instanceof DefaultFtpSession ftpSession ? ftpSession.getRenameFrom() : null;
            if (source != null) {
                Path from = ((java.io.File) source.getPhysicalFile()).toPath().toAbsolutePath().normalize();
                Path to = resolve(session, request.getArgument());
                session.setAttribute(RENAME_IN_PROGRESS, new Rename(from, to, renames.renaming(from, to)));
            }
            return FtpletResult.DEFAULT;
        }

        /**
         * The ftplet's onUploadEnd/onRenameEnd fire whatever the reply, so a refused or aborted STOR would look
         * complete: only a 226/250 reply means the file is whole.
         */
        @Override
        public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply)
                throws FtpException, IOException {
            String command = request.getCommand().toUpperCase(Locale.ROOT);
            boolean succeeded = reply.getCode() == FtpReply.REPLY_226_CLOSING_DATA_CONNECTION
                    || reply.getCode() == FtpReply.REPLY_250_REQUESTED_FILE_ACTION_OKAY;
            if (command.equals("STOR")) {
                Path file = resolve(session, request.getArgument());
                uploading.remove(file);
                if (!succeeded) {
                    LOG.warn("FTP upload of {} did not complete ({} {}): not ingested", file, reply.getCode(),
                            reply.getMessage());
                } else if (UploadValidator.isAcceptedType(file)) {
                    onFileComplete.accept(file);
                }
            } else if (command.equals("RNTO") && session.getAttribute(RENAME_IN_PROGRESS) instanceof Rename rename) {
                session.removeAttribute(RENAME_IN_PROGRESS);
                renames.renamed(rename.from(), rename.to(), rename.sha256(), succeeded);
            }
            return FtpletResult.DEFAULT;
        }
    }
}
