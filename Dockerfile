# The release image: the static dapilint binary on a distroless static base
# (no shell, no package manager), run as the base's non-root user. GoReleaser
# builds it (.goreleaser.yaml, dockers_v2) with the binary of each platform
# in $TARGETPLATFORM/ of the build context.
#
#   docker run --rm -v "$PWD:/work" ghcr.io/dapilint/dapilint:v1.2.3 lint deploy/
FROM gcr.io/distroless/static-debian13:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/dapilint /usr/local/bin/dapilint
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/dapilint"]
CMD ["lint", "."]
