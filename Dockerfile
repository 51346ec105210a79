# HSI in a container: embedded PostgreSQL and Redis by default, data in the /data volume.
# Build: docker build -t hsi .      Run: docker run -p 8000:8000 -p 2121:2121 -p 30000-30100:30000-30100 -v hsi-data:/data hsi
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY migrations migrations
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# npm fetches the detector model (@vladmandic/human) at first start (cached in /data/models); ffmpeg samples clips
RUN apt-get update && apt-get install -y --no-install-recommends npm ffmpeg && rm -rf /var/lib/apt/lists/*
# no reason to run as root
RUN useradd --create-home hsi && mkdir /data && chown hsi /data
USER hsi
WORKDIR /home/hsi
COPY --from=build /src/target/hsi.jar hsi.jar
ENV DATA_DIR=/data
EXPOSE 8000 2121 30000-30100
VOLUME /data
ENTRYPOINT ["java", "-jar", "hsi.jar"]
