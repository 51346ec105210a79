package dev.hsi.bus;

/** Command: send a test notification on one channel; {@code webhookUrl} overrides the configured URL (may be null). */
public record NotificationTestRequested(String channel, String webhookUrl) {
}
