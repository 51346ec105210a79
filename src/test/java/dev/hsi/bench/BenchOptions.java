package dev.hsi.bench;

/**
 * PartitionBench's options: {@code --rows N} (10,000,000), {@code --cameras N} (20), {@code --concurrency N} (writer
 * groups in flight, 4), {@code --writer-group N} (uploads per writer statement, as a detector group: 8, the
 * default DETECTOR_MAX_BATCH; 1 stores each upload on its own), {@code --throughput-rows N} (rows of the writer-against-COPY rounds, 1,000,000, or all
 * rows when fewer), {@code --throughput-rounds N} (5), {@code --warm-rounds N} (20), {@code --cold-rounds N} (5),
 * {@code --drop-rounds N} (3), {@code --jdbc-url postgresql://...} (an existing server instead of the embedded
 * one; cold runs are then skipped), {@code --dir PATH} (where the embedded cluster lives; a new temporary
 * directory by default), {@code --writer-plans generic|auto} (the writer's pool: generic plans, as the server
 * gives the detect stage, or PostgreSQL's default plan cache, to measure what that choice is worth).
 */
record BenchOptions(long rows, int cameras, int concurrency, int writerGroup, long throughputRows, int throughputRounds,
        int warmRounds, int coldRounds, int dropRounds, String jdbcUrl, String dir, boolean genericWriterPlans) {

    static BenchOptions parse(String[] args) {
        long rows = 10_000_000;
        int cameras = 20;
        int concurrency = 4;
        int writerGroup = 8;
        Long throughputRows = null;
        int throughputRounds = 5;
        int warmRounds = 20;
        int coldRounds = 5;
        int dropRounds = 3;
        String jdbcUrl = null;
        String dir = null;
        boolean genericWriterPlans = true;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--rows" -> rows = Long.parseLong(value);
                case "--cameras" -> cameras = Integer.parseInt(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--writer-group" -> writerGroup = Integer.parseInt(value);
                case "--throughput-rows" -> throughputRows = Long.parseLong(value);
                case "--throughput-rounds" -> throughputRounds = Integer.parseInt(value);
                case "--warm-rounds" -> warmRounds = Integer.parseInt(value);
                case "--cold-rounds" -> coldRounds = Integer.parseInt(value);
                case "--drop-rounds" -> dropRounds = Integer.parseInt(value);
                case "--jdbc-url" -> jdbcUrl = value;
                case "--dir" -> dir = value;
                case "--writer-plans" -> genericWriterPlans = switch (value) {
                    case "generic" -> true;
                    case "auto" -> false;
                    default -> throw new IllegalArgumentException("--writer-plans is generic or auto, got " + value);
                };
                default -> throw new IllegalArgumentException("unknown option " + name + "; see BenchOptions");
            }
        }
        if (writerGroup < 1 || concurrency < 1) {
            throw new IllegalArgumentException("--writer-group and --concurrency must be at least 1");
        }
        long throughput = Math.min(rows, throughputRows == null ? 1_000_000 : throughputRows);
        return new BenchOptions(rows, cameras, concurrency, writerGroup, throughput, throughputRounds, warmRounds, coldRounds,
                dropRounds, jdbcUrl, dir, genericWriterPlans);
    }
}
