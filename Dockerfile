# The container image of a release: .goreleaser.yaml builds it from the
# release's binaries (put under OS/ARCH/ in the build context). It runs
# lofte serve over the commitments repository mounted at /repo, on port
# 8080:
#
#   docker run --rm -p 8080:8080 -v "$PWD:/repo:ro" ghcr.io/lofte/lofte:VERSION
#
# Add --allow-host NAME to the command for each name the page is reached
# by besides localhost.
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/lofte /usr/bin/lofte
WORKDIR /repo
EXPOSE 8080
ENTRYPOINT ["/usr/bin/lofte"]
CMD ["serve", "--repo", "/repo", "--addr", ":8080"]
