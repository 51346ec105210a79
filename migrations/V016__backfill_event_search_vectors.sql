-- Events stored before V015 get their search vector; later rows get it from the trigger.
UPDATE events e
   SET search_vector = hsi_event_search_vector(e.summary, e.reasoning, e.object_types, c.name)
  FROM cameras c
 WHERE c.id = e.camera_id
   AND e.search_vector IS NULL;
