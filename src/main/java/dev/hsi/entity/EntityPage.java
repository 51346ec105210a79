package dev.hsi.entity;

import java.util.List;

/** One page of entities and how many match in all. */
public record EntityPage(List<Entity> entities, long total) {

    public EntityPage {
        entities = List.copyOf(entities);
    }
}
