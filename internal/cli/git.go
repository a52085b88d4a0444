package cli

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dapilint/dapilint/internal/pathglob"
	"github.com/dapilint/dapilint/reporter"
)

// The SARIF log says which commit of which repository it describes
// (versionControlProvenance), read from the repository's files: the
// current commit and branch from HEAD, and the origin remote's URL from its
// configuration. git itself is not needed.

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// versionControl describes the repository at root, or returns nil when
// it has no usable origin remote (SARIF requires the repository's URI) or
// its HEAD cannot be read.
func versionControl(root string) *reporter.VersionControl {
	gitDir, err := pathglob.GitDir(root)
	if err != nil {
		return nil
	}
	common := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common = strings.TrimSpace(string(data))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
	}
	remote := originURL(common)
	if remote == "" {
		return nil
	}
	vc := &reporter.VersionControl{RepositoryURI: remote}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return nil
	}
	h := strings.TrimSpace(string(head))
	if ref, ok := strings.CutPrefix(h, "ref: "); ok {
		vc.Branch = strings.TrimPrefix(ref, "refs/heads/")
		h = resolveRef(gitDir, common, ref)
	}
	if commitRE.MatchString(h) {
		vc.RevisionID = h
	}
	return vc
}

// resolveRef reads a ref: a loose file (per worktree, then shared), else
// packed-refs. "" when it does not exist (a branch without commits).
func resolveRef(gitDir, common, ref string) string {
	for _, dir := range []string{gitDir, common} {
		if data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(ref))); err == nil {
			return strings.TrimSpace(string(data))
		}
	}
	data, err := os.ReadFile(filepath.Join(common, "packed-refs"))
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if hash, name, ok := strings.Cut(sc.Text(), " "); ok && name == ref {
			return hash
		}
	}
	return ""
}

// originURL is the origin remote's URL from the repository's config, as
// an https URL without credentials: scp-like and ssh URLs
// (git@github.com:o/r.git) become https://github.com/o/r. A local path,
// or no origin, gives "".
func originURL(common string) string {
	data, err := os.ReadFile(filepath.Join(common, "config"))
	if err != nil {
		return ""
	}
	raw := ""
	inOrigin := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inOrigin = strings.EqualFold(strings.Join(strings.Fields(line), " "), `[remote "origin"]`)
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && inOrigin && strings.EqualFold(strings.TrimSpace(k), "url") {
			raw = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return publicRepoURL(raw)
}

var scpLike = regexp.MustCompile(`^(?:[^@/]+@)?([^:/]+):(.+)$`)

// publicRepoURL turns a remote URL into one that can be published: https,
// no user name or token, no ".git" suffix.
func publicRepoURL(raw string) string {
	var host, path string
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		switch u.Scheme {
		case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
			host, path = u.Hostname(), u.Path
			if u.Scheme == "https" || u.Scheme == "http" {
				host = u.Host // keep a port of a web server
			}
		default:
			return ""
		}
	} else if m := scpLike.FindStringSubmatch(raw); m != nil && !strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, ".") {
		host, path = m[1], m[2]
	} else {
		return ""
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	if host == "" || path == "" {
		return ""
	}
	return (&url.URL{Scheme: "https", Host: host, Path: "/" + path}).String()
}
