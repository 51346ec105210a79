-- Delivery is at least once: a job can run again after its results were committed (a crash before the queue
-- acknowledgement, a redelivered or re-published message). These keys make a second run find the first run's rows
-- instead of writing new ones. Unique indexes on partitioned tables must carry the partition key, and they do:
-- detected_at and started_at are deterministic for a job (the upload time; the batch's first detection).

-- The position of an object among the objects kept from one upload (over all sampled frames of a clip, in frame
-- order), so that each object of a job has a key of its own. Rows written before this migration keep NULL, which
-- never conflicts.
ALTER TABLE detections ADD COLUMN object_index INTEGER;

-- One row per object of one upload job. file_path leads, so the index also answers "does this file have
-- detections?"; file_hash and detected_at tell a new upload of the same path (new content or a later upload) from
-- a redelivery of the same job.
CREATE UNIQUE INDEX detections_upload_object_key
    ON detections (file_path, camera_id, file_hash, detected_at, object_index);

-- One event per batch. Earlier runs may have left a duplicate event for a redelivered batch: keep the first, so that
-- the index can be built (the junction rows of the others go with them, by cascade).
DELETE FROM events later
 USING events earlier
 WHERE later.batch_id = earlier.batch_id
   AND later.started_at = earlier.started_at
   AND later.id > earlier.id;

CREATE UNIQUE INDEX events_batch_key ON events (batch_id, started_at);
