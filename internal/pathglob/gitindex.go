package pathglob

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// git ignores only untracked files: a file committed in a directory that
// .gitignore matches is still part of the repository, and a linter that
// skipped it would drop a manifest without a word. So GitIgnore reads the
// list of tracked files from the repository's index (.git/index, the
// format documented in git's Documentation/gitformat-index.txt) and never
// ignores them, nor the directories that hold them.

// readIndex returns the tracked paths of the work tree at root, and every
// directory above one, as slash paths relative to root.
func readIndex(root string) (files, dirs map[string]bool, err error) {
	gitDir, err := GitDir(root)
	if err != nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(filepath.Join(gitDir, "index"))
	if err != nil {
		return nil, nil, err
	}
	paths, err := parseIndex(data)
	if err != nil {
		return nil, nil, err
	}
	files = make(map[string]bool, len(paths))
	dirs = map[string]bool{}
	for _, p := range paths {
		files[p] = true
		for i := strings.LastIndexByte(p, '/'); i > 0; i = strings.LastIndexByte(p[:i], '/') {
			if dirs[p[:i]] {
				break
			}
			dirs[p[:i]] = true
		}
	}
	return files, dirs, nil
}

// GitDir is the git directory of the work tree at root: root/.git, or
// the directory a .git file (worktree, submodule) points to.
func GitDir(root string) (string, error) {
	dotGit := filepath.Join(root, ".git")
	info, err := os.Stat(dotGit)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return dotGit, nil
	}
	data, err := os.ReadFile(dotGit)
	if err != nil {
		return "", err
	}
	dir, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !ok {
		return "", errors.New(".git file without gitdir")
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	return dir, nil
}

// parseIndex reads the paths of a git index, versions 2, 3 and 4.
func parseIndex(data []byte) ([]string, error) {
	if len(data) < 12 || string(data[:4]) != "DIRC" {
		return nil, errors.New("not a git index")
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("git index version %d", version)
	}
	n := int(binary.BigEndian.Uint32(data[8:12]))
	paths := make([]string, 0, n)
	off := 12
	prev := ""
	for range n {
		start := off
		// ctime, mtime, dev, ino, mode, uid, gid, size: 40 bytes; the
		// object name: 20 (SHA-1; 32 with SHA-256, which sets an extension
		// this reader does not look for); flags: 2.
		const fixed = 62
		if off+fixed > len(data) {
			return nil, errors.New("git index truncated")
		}
		flags := binary.BigEndian.Uint16(data[off+60 : off+62])
		off += fixed
		if flags&0x4000 != 0 { // extended flags (version 3 and up)
			if version < 3 {
				return nil, errors.New("extended flags in a version 2 index")
			}
			// A skip-worktree entry is still tracked: nothing to read here.
			off += 2
		}
		var name string
		if version == 4 {
			// The path is the previous one less N bytes, plus a suffix.
			strip, size := binary.Uvarint(data[off:])
			if size <= 0 || int(strip) > len(prev) {
				return nil, errors.New("git index: bad path prefix")
			}
			off += size
			end := bytes.IndexByte(data[off:], 0)
			if end < 0 {
				return nil, errors.New("git index truncated")
			}
			name = prev[:len(prev)-int(strip)] + string(data[off:off+end])
			off += end + 1
		} else {
			end := bytes.IndexByte(data[off:], 0)
			if end < 0 {
				return nil, errors.New("git index truncated")
			}
			name = string(data[off : off+end])
			// Entries are padded with 1 to 8 NULs to a multiple of 8.
			off = start + (off-start+end+8)&^7
		}
		// A conflicted path appears once per stage, in a row; keep one.
		if len(paths) == 0 || paths[len(paths)-1] != name {
			paths = append(paths, name)
		}
		prev = name
	}
	return paths, nil
}
