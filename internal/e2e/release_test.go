package e2e

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"
)

// The release is built by GoReleaser (.goreleaser.yaml), at the version
// that scripts/ci/goreleaser.sh pins and installs; scripts/ci/install-tools.sh
// exports its path as GORELEASER. These tests run `goreleaser check` and a
// snapshot release (everything but pushing the image, which needs a Docker
// engine: a stand-in docker records what GoReleaser would build) and check
// what a user downloads, then install that snapshot with the Action.

// releaseTargets are the platforms a release has archives for.
var releaseTargets = []struct{ goos, goarch string }{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// releaseAsset is the archive name of a target, as .goreleaser.yaml names
// it and action.yml downloads it.
func releaseAsset(goos, goarch string) string {
	if goos == "windows" {
		return "dapilint_" + goos + "_" + goarch + ".zip"
	}
	return "dapilint_" + goos + "_" + goarch + ".tar.gz"
}

// pinnedGoReleaser is the version scripts/ci/goreleaser.sh installs.
func pinnedGoReleaser(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "ci", "goreleaser.sh"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GORELEASER_VERSION=(v\d+\.\d+\.\d+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("scripts/ci/goreleaser.sh: no GORELEASER_VERSION=vX.Y.Z line")
	}
	return string(m[1])
}

// goreleaserBinary is GoReleaser at the pinned version; a missing one, or
// one of another version, skips the test (fails with DAPILINT_REQUIRE_TOOLS=1).
func goreleaserBinary(t *testing.T) string {
	t.Helper()
	bin := requireTool(t, "GORELEASER", "goreleaser")
	want := pinnedGoReleaser(t)
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^GitVersion:\s+`+regexp.QuoteMeta(want)+`$`).Match(out) {
		msg := fmt.Sprintf("%s is not GoReleaser %s (%v):\n%s", bin, want, err, out)
		if os.Getenv("DAPILINT_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// fakeDocker stands in for docker: no daemon (so GoReleaser builds the
// multi-platform image once, without loading it), a docker-container
// buildx driver, and for `buildx build` it keeps a copy of the build
// context and the arguments under $FAKE_DOCKER_OUT/<n>/.
const fakeDocker = `#!/bin/sh
case "$1 $2" in
"buildx inspect") echo "Driver: docker-container" ;;
"buildx build")
	n=$(ls "$FAKE_DOCKER_OUT" | wc -l)
	mkdir -p "$FAKE_DOCKER_OUT/$n/context"
	cp -R . "$FAKE_DOCKER_OUT/$n/context/"
	shift 2
	printf '%s\n' "$@" >"$FAKE_DOCKER_OUT/$n/args"
	echo sha256:0000000000000000000000000000000000000000000000000000000000000000 >id.txt
	;;
*) exit 1 ;;
esac
`

type snapshot struct {
	repo    string // the repository the snapshot was made from
	dist    string
	version string // without the leading v, as metadata.json has it
	docker  string // FAKE_DOCKER_OUT
	log     string
}

var (
	snapOnce sync.Once
	snap     snapshot
	snapErr  error
	snapDir  string // removed by TestMain
)

// releaseSnapshot runs `goreleaser release --snapshot --clean` once, on a
// copy of the working tree committed to a new git repository.
func releaseSnapshot(t *testing.T) snapshot {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a snapshot release")
	}
	bin := goreleaserBinary(t)
	git := requireTool(t, "GIT", "git")
	snapOnce.Do(func() {
		// Its own temporary directory: t.TempDir would go with the first test.
		tmp, err := os.MkdirTemp("", "dapilint-release-")
		if err != nil {
			snapErr = err
			return
		}
		snapDir = tmp
		snapErr = fmt.Errorf("making the snapshot failed in an earlier test")
		repo, _ := snapshotRepo(t, git, filepath.Join(tmp, "repo"))
		snapErr = nil
		// GoReleaser reads the commit only when the repository has a
		// remote (it is not contacted).
		if out, err := exec.Command(git, "-C", repo, "remote", "add", "origin", "https://github.com/dapilint/dapilint.git").CombinedOutput(); err != nil {
			snapErr = fmt.Errorf("git remote add: %v\n%s", err, out)
			return
		}
		fake := filepath.Join(tmp, "fakebin")
		snap = snapshot{repo: repo, dist: filepath.Join(repo, "dist"), docker: filepath.Join(tmp, "docker")}
		for _, dir := range []string{fake, snap.docker} {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				snapErr = err
				return
			}
		}
		if err := os.WriteFile(filepath.Join(fake, "docker"), []byte(fakeDocker), 0o755); err != nil {
			snapErr = err
			return
		}
		cmd := exec.Command(bin, "release", "--snapshot", "--clean")
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "PATH="+fake+string(os.PathListSeparator)+os.Getenv("PATH"),
			"FAKE_DOCKER_OUT="+snap.docker)
		out, err := cmd.CombinedOutput()
		snap.log = string(out)
		if err != nil {
			snapErr = fmt.Errorf("goreleaser release --snapshot: %v\n%s", err, out)
			return
		}
		var meta struct {
			ProjectName string `json:"project_name"`
			Version     string `json:"version"`
		}
		data, err := os.ReadFile(filepath.Join(snap.dist, "metadata.json"))
		if err == nil {
			err = json.Unmarshal(data, &meta)
		}
		if err != nil || meta.ProjectName != "dapilint" || meta.Version == "" {
			snapErr = fmt.Errorf("dist/metadata.json: %v, %+v", err, meta)
			return
		}
		snap.version = meta.Version
	})
	if snapErr != nil {
		t.Fatal(snapErr)
	}
	return snap
}

func TestGoReleaserCheck(t *testing.T) {
	bin := goreleaserBinary(t)
	cmd := exec.Command(bin, "check")
	cmd.Dir = repoRoot(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
	// check passes with deprecated options, but says so.
	if bytes.Contains(bytes.ToLower(out), []byte("deprecat")) {
		t.Errorf("goreleaser check reports deprecated options:\n%s", out)
	}
}

// TestReleaseArchives checks what a user downloads: one archive per
// target, each with the binary, the README and the shell completions,
// and a checksums file that matches them.
func TestReleaseArchives(t *testing.T) {
	s := releaseSnapshot(t)
	if !regexp.MustCompile(`^\d+\.\d+\.\d+-snapshot\+[0-9a-f]+$`).MatchString(s.version) {
		t.Errorf("snapshot version %q, want X.Y.Z-snapshot+COMMIT (snapshot.version_template)", s.version)
	}
	sums := readChecksums(t, filepath.Join(s.dist, "checksums.txt"))
	var want []string
	for _, tg := range releaseTargets {
		want = append(want, releaseAsset(tg.goos, tg.goarch))
	}
	var got []string
	for name := range sums {
		got = append(got, name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("checksums.txt lists %q, want the archives %q", got, want)
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range releaseTargets {
		name := releaseAsset(tg.goos, tg.goarch)
		data, err := os.ReadFile(filepath.Join(s.dist, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != sums[name] {
			t.Errorf("%s: sha256 differs from checksums.txt", name)
		}
		files := readArchive(t, name, data)
		exe, render := "dapilint", "dapilint-render"
		if tg.goos == "windows" {
			exe, render = exe+".exe", render+".exe"
		}
		var names []string
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		wantNames := []string{"README.md", "completions/_dapilint", "completions/dapilint.bash", "completions/dapilint.fish", exe, render}
		slices.Sort(wantNames)
		if !slices.Equal(names, wantNames) {
			t.Errorf("%s holds %q, want %q", name, names, wantNames)
			continue
		}
		if !bytes.Equal(files["README.md"], readme) {
			t.Errorf("%s: README.md is not the repository's", name)
		}
		checkReleaseBinary(t, name+" "+exe, tg.goos, tg.goarch, files[exe], s.version)
		checkReleaseBinary(t, name+" "+render, tg.goos, tg.goarch, files[render], "")

		// The host's binary runs, prints the version, and prints the
		// completion scripts the archive ships.
		if tg.goos != runtime.GOOS || tg.goarch != runtime.GOARCH {
			continue
		}
		bin := filepath.Join(t.TempDir(), exe)
		if err := os.WriteFile(bin, files[exe], 0o755); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "version").Output()
		if err != nil || !strings.Contains(string(out), "v"+s.version) {
			t.Errorf("%s: dapilint version: %v %q, want v%s", name, err, out, s.version)
		}
		for shell, file := range map[string]string{"bash": "dapilint.bash", "zsh": "_dapilint", "fish": "dapilint.fish"} {
			out, err := exec.Command(bin, "completion", shell).Output()
			if err != nil || len(out) == 0 || !bytes.Equal(out, files["completions/"+file]) {
				t.Errorf("%s: completions/%s is not what dapilint completion %s prints (%v)", name, file, shell, err)
			}
		}
	}
}

// checkReleaseBinary checks a binary's format and platform, and how it was
// built: static (no cgo), -trimpath, and, for dapilint (version not
// empty), the version set through internal/cli.Version.
func checkReleaseBinary(t *testing.T, name, goos, goarch string, data []byte, version string) {
	t.Helper()
	r := bytes.NewReader(data)
	var arch string
	switch goos {
	case "linux":
		f, err := elf.NewFile(r)
		if err != nil {
			t.Errorf("%s: not ELF: %v", name, err)
			return
		}
		arch = map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s: dynamically linked (has an interpreter)", name)
			}
		}
	case "darwin":
		f, err := macho.NewFile(r)
		if err != nil {
			t.Errorf("%s: not Mach-O: %v", name, err)
			return
		}
		arch = map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
	case "windows":
		f, err := pe.NewFile(r)
		if err != nil {
			t.Errorf("%s: not PE: %v", name, err)
			return
		}
		arch = map[uint16]string{pe.IMAGE_FILE_MACHINE_AMD64: "amd64", pe.IMAGE_FILE_MACHINE_ARM64: "arm64"}[f.Machine]
	}
	if arch != goarch {
		t.Errorf("%s: binary for %q, want %s", name, arch, goarch)
	}
	bi, err := buildinfo.Read(r)
	if err != nil {
		t.Errorf("%s: no build info: %v", name, err)
		return
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	for k, v := range map[string]string{"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0", "-trimpath": "true"} {
		if settings[k] != v {
			t.Errorf("%s: built with %s=%q, want %q", name, k, settings[k], v)
		}
	}
	wantMain := "github.com/dapilint/dapilint/cmd/dapilint-render"
	if version != "" {
		wantMain = "github.com/dapilint/dapilint/cmd/dapilint"
		// With -trimpath, go does not record -ldflags: the version the -X
		// flag set is looked for in the binary's data instead.
		if !bytes.Contains(data, []byte("v"+version)) {
			t.Errorf("%s: version v%s not in the binary (-X github.com/dapilint/dapilint/internal/cli.Version)", name, version)
		}
	}
	if bi.Path != wantMain {
		t.Errorf("%s: main package %q, want %s", name, bi.Path, wantMain)
	}
}

// readChecksums reads a checksums file: "HEX  NAME" lines.
func readChecksums(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		m := regexp.MustCompile(`^([0-9a-f]{64})  (\S+)$`).FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		sums[m[2]] = m[1]
	}
	return sums
}

// readArchive returns the regular files of a .tar.gz or .zip by name.
func readArchive(t *testing.T, name string, data []byte) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatalf("%s: %s: %v", name, f.Name, err)
			}
			files[f.Name] = b
		}
		return files
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, h.Name, err)
		}
		files[h.Name] = b
	}
	return files
}

// TestReleaseImage checks the container image GoReleaser would build and
// push, from what it handed to (stand-in) docker: both Linux platforms,
// the tags and labels, and a build context holding every file the
// Dockerfile copies, as the binary of that platform.
func TestReleaseImage(t *testing.T) {
	s := releaseSnapshot(t)
	runs, err := os.ReadDir(s.docker)
	if err != nil || len(runs) != 1 {
		t.Fatalf("docker buildx build ran %d times (%v), want once for both platforms\n%s", len(runs), err, s.log)
	}
	dir := filepath.Join(s.docker, runs[0].Name())
	argData, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSpace(string(argData)), "\n")
	flag := func(name string) []string {
		var vals []string
		for i := 0; i+1 < len(args); i++ {
			if args[i] == name {
				vals = append(vals, args[i+1])
			}
		}
		return vals
	}
	if p := flag("--platform"); !slices.Equal(p, []string{"linux/amd64,linux/arm64"}) {
		t.Errorf("--platform %q, want linux/amd64,linux/arm64", p)
	}
	// A snapshot has no tag of its own: v0.0.0, and latest as for a release.
	tags := flag("-t")
	slices.Sort(tags)
	if !slices.Equal(tags, []string{"ghcr.io/dapilint/dapilint:latest", "ghcr.io/dapilint/dapilint:v0.0.0"}) {
		t.Errorf("image tags %q", tags)
	}
	labels := strings.Join(flag("--label"), "\n")
	for _, want := range []string{"org.opencontainers.image.source=https://github.com/dapilint/dapilint", "org.opencontainers.image.revision="} {
		if !strings.Contains(labels, want) {
			t.Errorf("labels lack %s:\n%s", want, labels)
		}
	}

	context := filepath.Join(dir, "context")
	dockerfile, err := os.ReadFile(filepath.Join(context, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	copies := 0
	for _, line := range strings.Split(string(dockerfile), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "COPY" {
			continue
		}
		copies++
		for _, plat := range []string{"linux/amd64", "linux/arm64"} {
			src := strings.ReplaceAll(f[1], "$TARGETPLATFORM", plat)
			data, err := os.ReadFile(filepath.Join(context, filepath.FromSlash(src)))
			if err != nil {
				t.Errorf("COPY %s: not in the build context for %s: %v", f[1], plat, err)
				continue
			}
			goarch := strings.TrimPrefix(plat, "linux/")
			version := s.version
			if path.Base(src) != "dapilint" {
				version = ""
			}
			checkReleaseBinary(t, "image "+plat+" "+src, "linux", goarch, data, version)
		}
	}
	if copies != 2 {
		t.Errorf("the Dockerfile copies %d files, want dapilint and dapilint-render", copies)
	}
}

// TestDockerfile checks the image's shape: a static distroless base, no
// RUN (nothing to execute in a base without a shell, and nothing to
// emulate when building arm64 on amd64), a non-root user, and dapilint as
// the entrypoint.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	instr := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kw, rest, _ := strings.Cut(line, " ")
		instr[strings.ToUpper(kw)] = append(instr[strings.ToUpper(kw)], strings.TrimSpace(rest))
	}
	if from := instr["FROM"]; len(from) != 1 || !regexp.MustCompile(`^gcr\.io/distroless/static-debian\d+:nonroot$`).MatchString(from[0]) {
		t.Errorf("FROM %q, want one gcr.io/distroless/static-debianN:nonroot", from)
	}
	if len(instr["RUN"]) > 0 {
		t.Errorf("RUN %q: the base has no shell", instr["RUN"])
	}
	user := instr["USER"]
	if len(user) != 1 {
		t.Fatalf("USER %q, want one", user)
	}
	if uid, _, _ := strings.Cut(user[0], ":"); uid == "0" || uid == "root" || uid == "" {
		t.Errorf("USER %s runs as root", user[0])
	}
	var entry []string
	if e := instr["ENTRYPOINT"]; len(e) != 1 || json.Unmarshal([]byte(e[0]), &entry) != nil || len(entry) != 1 {
		t.Fatalf("ENTRYPOINT %q, want the exec form [\"/path/to/dapilint\"]", e)
	}
	// dapilint runs dapilint-render from beside itself.
	want := []string{"$TARGETPLATFORM/dapilint " + entry[0], "$TARGETPLATFORM/dapilint-render " + path.Join(path.Dir(entry[0]), "dapilint-render")}
	if !slices.Equal(instr["COPY"], want) || !slices.Contains(instr["ARG"], "TARGETPLATFORM") {
		t.Errorf("COPY %q, want %q (with ARG TARGETPLATFORM)", instr["COPY"], want)
	}
}

// TestGoReleaserConfig checks the parts of .goreleaser.yaml that other
// files rely on: the version variable of -ldflags, the targets and archive
// names the Action downloads, and the completions the archives ship.
func TestGoReleaserConfig(t *testing.T) {
	var cfg struct {
		Version int `json:"version"`
		Before  struct {
			Hooks []string `json:"hooks"`
		} `json:"before"`
		Builds []struct {
			ID      string   `json:"id"`
			Main    string   `json:"main"`
			Goos    []string `json:"goos"`
			Goarch  []string `json:"goarch"`
			Env     []string `json:"env"`
			Ldflags []string `json:"ldflags"`
		} `json:"builds"`
		Archives []struct {
			NameTemplate string   `json:"name_template"`
			Files        []string `json:"files"`
		} `json:"archives"`
		Checksum struct {
			NameTemplate string `json:"name_template"`
		} `json:"checksum"`
	}
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 2 || len(cfg.Archives) != 1 {
		t.Fatalf("want version 2, two builds and one archive: %+v", cfg)
	}
	for i, main := range []string{"./cmd/dapilint", "./cmd/dapilint-render"} {
		b := cfg.Builds[i]
		if b.Main != main || !slices.Contains(b.Env, "CGO_ENABLED=0") {
			t.Errorf("build %d: main %q env %q, want %s without cgo", i, b.Main, b.Env, main)
		}
		for _, tg := range releaseTargets {
			if !slices.Contains(b.Goos, tg.goos) || !slices.Contains(b.Goarch, tg.goarch) {
				t.Errorf("%s: no build for %s/%s", main, tg.goos, tg.goarch)
			}
		}
	}
	if l := cfg.Builds[0].Ldflags; !strings.Contains(strings.Join(l, " "), "-X github.com/dapilint/dapilint/internal/cli.Version=v{{ .Version }}") {
		t.Errorf("ldflags %q do not set internal/cli.Version", l)
	}
	if a := cfg.Archives[0]; a.NameTemplate != "{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}" || !slices.Contains(a.Files, "completions/*") {
		t.Errorf("archive name_template %q files %q", a.NameTemplate, a.Files)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksum name_template %q: action.yml downloads checksums.txt", cfg.Checksum.NameTemplate)
	}
	if !slices.Contains(cfg.Before.Hooks, "sh scripts/release/completions.sh") {
		t.Errorf("before hooks %q do not write the completions", cfg.Before.Hooks)
	}
}

// TestActionInstallsRelease runs the Action's release step (version set)
// against the snapshot release, served from a file:// URL laid out as
// GitHub serves release assets.
func TestActionInstallsRelease(t *testing.T) {
	s := releaseSnapshot(t)
	a, steps := actionSteps(t)
	step := steps["release"]
	tag := "v" + s.version

	// serve lays out a release directory: download/TAG/ and latest/download/.
	serve := func(tags []string, edit func(sums []byte) []byte) string {
		root := t.TempDir()
		for _, dir := range tags {
			dir = filepath.Join(root, filepath.FromSlash(dir))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, tg := range releaseTargets {
				name := releaseAsset(tg.goos, tg.goarch)
				data, err := os.ReadFile(filepath.Join(s.dist, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			sums, err := os.ReadFile(filepath.Join(s.dist, "checksums.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if edit != nil {
				sums = edit(sums)
			}
			if err := os.WriteFile(filepath.Join(dir, "checksums.txt"), sums, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return "file://" + filepath.ToSlash(root)
	}
	runnerOS := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}
	hostOS, hostArch := runnerOS[runtime.GOOS], runnerArch[runtime.GOARCH]
	run := func(releases, version, osName, arch string) (map[string]string, string, string, error) {
		t.Helper()
		temp := t.TempDir()
		outputs, log, err := runActionStep(t, a, step, stepRun{dir: t.TempDir(), inputs: map[string]string{"version": version},
			env: map[string]string{"DAPILINT_RELEASES": releases, "RUNNER_OS": osName, "RUNNER_ARCH": arch, "RUNNER_TEMP": temp}})
		return outputs, log, temp, err
	}
	good := serve([]string{"download/" + tag, "latest/download"}, nil)

	// The runner's own platform: the binary is installed and runs, for a
	// tag and for latest.
	if hostOS != "" && hostArch != "" {
		for _, version := range []string{tag, "latest"} {
			outputs, log, _, err := run(good, version, hostOS, hostArch)
			asset := releaseAsset(runtime.GOOS, runtime.GOARCH)
			if err != nil || !strings.Contains(log, asset+": sha256 ") || !strings.Contains(log, tag) {
				t.Errorf("version %s: %v\n%s", version, err, log)
				continue
			}
			out, err := exec.Command(outputs["path"], "version").Output()
			if err != nil || !strings.Contains(string(out), tag) {
				t.Errorf("version %s: installed %q: %v %s", version, outputs["path"], err, out)
			}
		}
	}

	// Every target's archive is found, verified and unpacked (running a
	// foreign binary may then fail; that is not what is checked here).
	for _, tg := range releaseTargets {
		asset := releaseAsset(tg.goos, tg.goarch)
		_, log, temp, _ := run(good, tag, runnerOS[tg.goos], runnerArch[tg.goarch])
		if !strings.Contains(log, asset+": sha256 ") {
			t.Errorf("%s/%s: %s not verified:\n%s", tg.goos, tg.goarch, asset, log)
			continue
		}
		for _, bin := range []string{"dapilint", "dapilint-render"} {
			version := s.version
			if bin != "dapilint" {
				version = ""
			}
			if tg.goos == "windows" {
				bin += ".exe"
			}
			data, err := os.ReadFile(filepath.Join(temp, "dapilint-action", "bin", bin))
			if err != nil {
				t.Errorf("%s/%s: %v", tg.goos, tg.goarch, err)
				continue
			}
			checkReleaseBinary(t, asset+" "+bin+" as installed", tg.goos, tg.goarch, data, version)
		}
	}

	// What must fail, and say why.
	hostAsset := releaseAsset(runtime.GOOS, runtime.GOARCH)
	tampered := serve([]string{"download/" + tag}, func(sums []byte) []byte {
		return regexp.MustCompile(`(?m)^[0-9a-f]{64}(  `+regexp.QuoteMeta(hostAsset)+`)$`).
			ReplaceAll(sums, []byte(strings.Repeat("0", 64)+"$1"))
	})
	unlisted := serve([]string{"download/" + tag}, func(sums []byte) []byte {
		return regexp.MustCompile(`(?m)^.*  `+regexp.QuoteMeta(hostAsset)+`\n`).ReplaceAll(sums, nil)
	})
	for _, c := range []struct {
		name, releases, version, os, arch, want string
	}{
		{"tampered archive", tampered, tag, hostOS, hostArch, "checksum mismatch for " + hostAsset},
		{"archive not in checksums.txt", unlisted, tag, hostOS, hostArch, "checksums.txt of " + tag + " does not list " + hostAsset},
		{"no such release", good, "v9.9.9", hostOS, hostArch, "cannot download"},
		{"binary of another version", serve([]string{"download/v9.9.9"}, nil), "v9.9.9", hostOS, hostArch, "not version v9.9.9"},
		{"a branch", good, "main", hostOS, hostArch, "version must be a release tag"},
		{"an unknown architecture", good, tag, hostOS, "X86", `no dapilint release for runner architecture "X86"`},
	} {
		outputs, log, _, err := run(c.releases, c.version, c.os, c.arch)
		if err == nil || !strings.Contains(log, "::error title=dapilint::") || !strings.Contains(log, c.want) || outputs["path"] != "" {
			t.Errorf("%s: %v, outputs %v; want a failure saying %q:\n%s", c.name, err, outputs, c.want, log)
		}
	}
}

// TestReadmeBinaryDownload runs the README's download commands against the
// snapshot release, served from a file:// URL in place of GitHub.
func TestReadmeBinaryDownload(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the commands are for Linux and macOS")
	}
	s := releaseSnapshot(t)
	blocks := codeBlocks(readmeSection(t, "### Binary download"), "sh")
	if len(blocks) != 1 {
		t.Fatalf("%d sh blocks in the Binary download section, want 1", len(blocks))
	}
	script := blocks[0]
	const github = "https://github.com/dapilint/dapilint/releases/download/$version"
	first, _, _ := strings.Cut(script, "\n")
	if !strings.HasPrefix(first, "version=v") || !strings.Contains(script, "base="+github+"\n") {
		t.Fatalf("the commands no longer start with version=... and base=%s:\n%s", github, script)
	}
	tag := "v" + s.version
	served := filepath.Join(t.TempDir(), "download", tag)
	if err := os.MkdirAll(served, 0o755); err != nil {
		t.Fatal(err)
	}
	asset := releaseAsset(runtime.GOOS, runtime.GOARCH)
	for _, name := range []string{asset, "checksums.txt"} {
		data, err := os.ReadFile(filepath.Join(s.dist, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(served, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script = strings.Replace(script, first, fmt.Sprintf("version=%s os=%s arch=%s", tag, runtime.GOOS, runtime.GOARCH), 1)
	script = strings.Replace(script, github, "file://"+filepath.ToSlash(filepath.Dir(served))+"/$version", 1)
	if runtime.GOOS == "darwin" {
		script = strings.ReplaceAll(script, "sha256sum --check", "shasum -a 256 --check")
	}
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), asset+": OK") || !strings.Contains(string(out), "dapilint "+tag) {
		t.Errorf("the README's download commands: %v\n%s", err, out)
	}
}
