# The container image of a release: .goreleaser.yaml builds it from the
# release's binaries (put under OS/ARCH/ in the build context). It runs
# lofte serve over the commitments repository mounted at /repo, on port
# 8080:
#
#   docker run --rm -p 8080:8080 -v "$PWD:/repo:ro" ghcr.io/lofte/lofte:VERSION
#
# Add --allow-host NAME to the command for each name the page is reached
# by besides localhost. Mount the repository read-write (without :ro) to
# let signed-in users record over the web (docs/reference.md §12).
#
# The image holds the binary and nothing else: lofte is built without cgo
# and carries what it needs from a system, the time zone database and the
# certificate authorities it trusts when it signs users in, so no base
# image is pulled and there is no shell or package to keep up to date. It
# runs as an unprivileged user (65532, "nonroot" in distroless images).
# cmd/lofte TestContainerImage builds this file and serves the bundled
# example from it.
FROM scratch
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/lofte /usr/bin/lofte
USER 65532:65532
WORKDIR /repo
EXPOSE 8080
ENTRYPOINT ["/usr/bin/lofte"]
CMD ["serve", "--repo", "/repo", "--addr", ":8080"]
