# The release image: the static binaries dapilint and dapilint-render on a
# distroless static base (no shell, no package manager), run as the base's
# non-root user. GoReleaser builds it (.goreleaser.yaml, dockers_v2) with the
# binaries of each platform in $TARGETPLATFORM/ of the build context.
#
#   docker run --rm -v "$PWD:/work" ghcr.io/dapilint/dapilint:v1.2.3 lint deploy/
FROM gcr.io/distroless/static-debian13:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/dapilint /usr/local/bin/dapilint
# dapilint runs it, from beside itself, to render charts and kustomizations.
COPY $TARGETPLATFORM/dapilint-render /usr/local/bin/dapilint-render
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/dapilint"]
CMD ["lint", "."]
