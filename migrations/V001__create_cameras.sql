-- Cameras are registered automatically from their upload folder (id = normalised folder name).
CREATE TABLE cameras (
    id           TEXT PRIMARY KEY,
    name         TEXT        NOT NULL,
    folder_path  TEXT        NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'online',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ,
    deleted_at   TIMESTAMPTZ,
    CONSTRAINT cameras_status_check CHECK (status IN ('online', 'offline', 'error', 'unknown')),
    CONSTRAINT cameras_name_key UNIQUE (name),
    CONSTRAINT cameras_folder_path_key UNIQUE (folder_path)
);
