-- Full-text search on events (seed 002, the original's search_vector): the words of the summary, the reasoning, the
-- object types and the camera's name, kept by the database itself so that every writer (the analyze stage, bulk
-- imports, hand edits) keeps it right. The camera's name lives in another table, so a generated column cannot hold
-- it: a trigger on events computes the vector, and a trigger on cameras recomputes it for a renamed camera's events.
-- Weights rank a hit in the summary above one in the object types or camera name, and those above the reasoning.
ALTER TABLE events ADD COLUMN search_vector TSVECTOR;

-- The one definition of an event's search vector ('english' is named, so the function is immutable).
CREATE FUNCTION hsi_event_search_vector(summary TEXT, reasoning TEXT, object_types TEXT, camera_name TEXT)
RETURNS TSVECTOR
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
    SELECT setweight(to_tsvector('english', coalesce(summary, '')), 'A')
        || setweight(to_tsvector('english', coalesce(replace(object_types, ',', ' '), '')), 'B')
        || setweight(to_tsvector('english', coalesce(camera_name, '')), 'B')
        || setweight(to_tsvector('english', coalesce(reasoning, '')), 'C')
$$;

CREATE FUNCTION hsi_events_set_search_vector() RETURNS TRIGGER
LANGUAGE plpgsql AS
$$
BEGIN
    NEW.search_vector := hsi_event_search_vector(NEW.summary, NEW.reasoning, NEW.object_types,
        (SELECT name FROM cameras WHERE id = NEW.camera_id));
    RETURN NEW;
END;
$$;

-- Row triggers on a partitioned table are cloned onto every partition, present and future.
CREATE TRIGGER events_search_vector
    BEFORE INSERT OR UPDATE OF summary, reasoning, object_types, camera_id ON events
    FOR EACH ROW EXECUTE FUNCTION hsi_events_set_search_vector();

CREATE FUNCTION hsi_cameras_refresh_event_search_vectors() RETURNS TRIGGER
LANGUAGE plpgsql AS
$$
BEGIN
    -- search_vector is not in the events trigger's column list, so this update does not fire it again
    UPDATE events
       SET search_vector = hsi_event_search_vector(summary, reasoning, object_types, NEW.name)
     WHERE camera_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER cameras_rename_refreshes_event_search
    AFTER UPDATE OF name ON cameras
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION hsi_cameras_refresh_event_search_vectors();
