package fix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrChanged is returned by WriteFile when the file on disk is no longer
// the one that was read and fixed.
var ErrChanged = errors.New("it changed on disk since dapilint read it; run dapilint again")

// WriteFile replaces the file at path, whose contents were read as old,
// with fixed. It refuses (ErrChanged) when the file no longer holds old,
// so that an edit made meanwhile (by an editor, another hook) is never
// overwritten. The write is atomic: fixed goes to a temporary file in the
// same directory, which then takes the file's place, so that a reader
// sees the old contents or the new, never a part; the new file keeps the
// old one's permissions. A symbolic link is followed: its target is
// replaced, and the link stays.
func WriteFile(path string, old, fixed []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	now, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, old) {
		return ErrChanged
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".dapilint-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(fixed); err != nil {
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		done = true
		return err
	}
	done = true
	return nil
}
